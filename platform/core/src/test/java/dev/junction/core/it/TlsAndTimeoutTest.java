package dev.junction.core.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.Test;

/**
 * TLS to clients with a configured certificate; the query timeout margin closing a silent server connection; the
 * client idle timeout.
 */
public class TlsAndTimeoutTest {

    @Test
    public void clientsConnectOverTls() throws Exception {
        Path dir = Files.createTempDirectory("junction-tls");
        Path ks = dir.resolve("ks.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "junction", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", "changeit",
                "-keypass", "changeit").redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(new String(p.getInputStream().readAllBytes()), 0, p.exitValue());
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        Key key = store.getKey("junction", "changeit".toCharArray());
        Certificate cert = store.getCertificate("junction");
        Path certPem = dir.resolve("cert.pem");
        Path keyPem = dir.resolve("key.pem");
        Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()));
        Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));
        try (JunctionFixture junction = JunctionFixture.start(Map.of("tls_cert", certPem.toString(),
                "tls_key", keyPem.toString()))) {
            String[] urls = {junction.mariadbUrl("sslMode=trust"), TestDatabases.mysqlUrl(junction.port, "")
                    .replace("sslMode=DISABLED", "sslMode=REQUIRED"), junction.mariadbUrl("")};
            for (String url : urls) {
                try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT port FROM whoami")) {
                    assertTrue(rs.next());
                    assertTrue(junction.dbPorts.contains(rs.getInt(1)));
                }
            }
        }
        try (JunctionFixture plain = JunctionFixture.start(Map.of())) {
            DriverManager.getConnection(plain.mariadbUrl("sslMode=trust")).close();
            fail("TLS required by the client but not configured: must fail");
        } catch (SQLException expected) {
            // no TLS offered
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    @Test
    public void silentServerConnectionIsClosedAfterQueryTimeoutAndMargin() throws Exception {
        try (JunctionFixture junction = JunctionFixture.start(Map.of("query_timeout", "1s", "query_timeout_margin", "1s"));
                Connection c = DriverManager.getConnection(junction.mariadbUrl(""));
                Statement s = c.createStatement()) {
            long start = System.nanoTime();
            try {
                s.executeQuery("SELECT SLEEP(8)");
                fail("the statement must time out");
            } catch (SQLException e) {
                assertEquals(1159, e.getErrorCode());
                assertTrue(e.getMessage(), e.getMessage().contains("sent nothing"));
            }
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue("took " + took + " ms", took >= 1900 && took < 6000);
            try (ResultSet rs = s.executeQuery("SELECT 5")) {
                rs.next();
                assertEquals(5, rs.getInt(1));
            }
        }
    }

    @Test
    public void anIdleClientIsClosedAfterTheIdleTimeoutABusyOneIsNot() throws Exception {
        try (JunctionFixture junction = JunctionFixture.start(Map.of("client_idle_timeout", "1s"));
                Connection c = DriverManager.getConnection(junction.mariadbUrl(""));
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT SLEEP(2), 7")) {
                rs.next();
                assertEquals("a statement longer than the idle timeout runs to its end", 7, rs.getInt(2));
            }
            long idleFrom = System.nanoTime();
            long deadline = idleFrom + TimeUnit.SECONDS.toNanos(20);
            while (!junction.server.sessions().all().isEmpty()) { // asking the client would be activity
                assertTrue("the idle client was never closed", System.nanoTime() < deadline);
                Thread.sleep(20);
            }
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - idleFrom);
            assertTrue("closed after " + took + " ms", took >= 900);
            try {
                s.executeQuery("SELECT 1");
                fail("the connection was closed");
            } catch (SQLException expected) {
                // the client sees its connection gone
            }
        }
    }
}
