package dev.junction.demo;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/** Starts a real three-server demo cluster on free ports and checks the servers and the files written. */
public class DemoClusterTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Rule
    public Timeout timeout = Timeout.seconds(120);

    @Test
    public void startsServersAndWritesJunctionConfig() throws Exception {
        Path home = tmp.newFolder("junction").toPath();
        Path etc = Files.createDirectories(home.resolve("etc"));
        // An operator's proxy file: its own keys and comments stay, the demo's keys are set.
        Files.writeString(etc.resolve("dev.junction.proxy.cfg"),
                "# operator comment\nlisten_port = 2999\nworker_threads = 4\ndefault_tenant = other\n");
        Files.writeString(etc.resolve("dev.junction.accounts.cfg"), "user.ops@ops#prod = *0123456789ABCDEF0123456789ABCDEF01234567\n");
        List<Integer> ports = freePorts(3);

        try (DemoCluster cluster = new DemoCluster(home, ports)) {
            cluster.start();
            assertEquals(2999, cluster.writeConfig(null));

            for (int i = 0; i < 3; i++) {
                String expected = "z" + (i + 1) + " 127.0.0.1:" + ports.get(i);
                String url = "jdbc:mariadb://127.0.0.1:" + ports.get(i) + "/demo";
                try (Connection c = DriverManager.getConnection(url, "app", "app");
                        Statement st = c.createStatement()) {
                    try (ResultSet rs = st.executeQuery("SELECT server FROM demo.whoami")) {
                        assertTrue(rs.next());
                        assertEquals(expected, rs.getString(1));
                        assertFalse("exactly one row", rs.next());
                    }
                    try (ResultSet rs = st.executeQuery("SELECT CURRENT_USER()")) {
                        assertTrue(rs.next());
                        assertEquals("app@%", rs.getString(1));
                    }
                    try (ResultSet rs = st.executeQuery("SELECT PASSWORD('app')")) {
                        assertTrue(rs.next());
                        assertEquals("the accounts file holds the server's own hash", rs.getString(1),
                                DemoCluster.nativePasswordHash("app"));
                    }
                }
            }

            // The password is checked: the servers run with their grant tables.
            try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + ports.get(0) + "/demo", "app", "wrong")) {
                fail("logged in with a wrong password");
            } catch (SQLException expected) {
                assertTrue(expected.getMessage(), expected.getMessage().contains("Access denied"));
            }
            Map<String, String> c = DemoCluster.readKeys(etc.resolve("dev.junction.cluster-demo.cfg"));
            assertEquals("demo", c.get("name"));
            assertEquals("1", c.get("id"));
            assertEquals("z1,z2,z3", c.get("zones"));
            assertEquals("hangzhou", c.get("zone.z1.region"));
            assertEquals("hz1", c.get("zone.z1.idc"));
            assertEquals("127.0.0.1:" + ports.get(0), c.get("zone.z1.servers"));
            assertEquals("hangzhou", c.get("zone.z2.region"));
            assertEquals("hz2", c.get("zone.z2.idc"));
            assertEquals("127.0.0.1:" + ports.get(1), c.get("zone.z2.servers"));
            assertEquals("shanghai", c.get("zone.z3.region"));
            assertEquals("sh1", c.get("zone.z3.idc"));
            assertEquals("127.0.0.1:" + ports.get(2), c.get("zone.z3.servers"));
            assertEquals("app", c.get("tenants"));
            assertEquals("z1,z2,z3", c.get("tenant.app.zones"));
            assertEquals("oceanbase", c.get("metadata.source"));
            assertEquals("127.0.0.1:" + ports.get(0), c.get("metadata.rslist"));
            assertEquals(DemoCluster.METADATA_USER, c.get("metadata.user"));
            assertEquals(DemoCluster.METADATA_PASSWORD, c.get("metadata.password"));
            // the emulated metadata on the first server: demo.whoami led from z1, followed in z2 and z3
            try (Connection mc = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + ports.get(0) + "/oceanbase",
                    DemoCluster.METADATA_USER, DemoCluster.METADATA_PASSWORD); Statement st = mc.createStatement();
                    ResultSet rs = st.executeQuery("SELECT sql_port, role FROM __all_virtual_proxy_schema"
                            + " WHERE table_name = 'whoami' ORDER BY role, sql_port")) {
                assertTrue(rs.next());
                assertEquals((int) ports.get(0), rs.getInt(1));
                assertEquals(1, rs.getInt(2));
                for (int i = 0; i < 2; i++) {
                    assertTrue(rs.next());
                    assertEquals(2, rs.getInt(2));
                }
                assertFalse(rs.next());
            }

            Map<String, String> a = DemoCluster.readKeys(etc.resolve("dev.junction.accounts.cfg"));
            assertEquals("*5BCB3E6AC345B435C7C2E6B7949A04CE6F6563D3", a.get("user.app@app#demo"));
            assertEquals("an operator's account stays", "*0123456789ABCDEF0123456789ABCDEF01234567",
                    a.get("user.ops@ops#prod"));

            Path proxyFile = etc.resolve("dev.junction.proxy.cfg");
            Map<String, String> p = DemoCluster.readKeys(proxyFile);
            assertEquals("demo", p.get("default_cluster"));
            assertEquals("app", p.get("default_tenant"));
            assertEquals("2999", p.get("listen_port"));
            assertEquals("4", p.get("worker_threads"));
            assertEquals(DemoCluster.DEMO_SERVER_VERSION, p.get("server_version"));
            assertTrue(Files.readString(proxyFile).startsWith("# operator comment\n"));
            assertEquals("the proxy sits in z2's IDC for LDC routing", "hz2",
                    DemoCluster.readKeys(etc.resolve("dev.junction.ldc.cfg")).get("proxy_idc_name"));

            // Writing again changes nothing, and an explicit Junction port is set.
            String before = Files.readString(proxyFile);
            cluster.writeConfig(null);
            assertEquals(before, Files.readString(proxyFile));
            assertEquals(3883, cluster.writeConfig(3883));
            assertEquals("3883", DemoCluster.readKeys(proxyFile).get("listen_port"));
        }
        for (int port : ports) {
            assertTrue("port " + port + " is free again after close()", DemoCluster.portFree(port));
        }
    }

    @Test
    public void nativePasswordHashIsDoubleSha1() {
        assertEquals("*5BCB3E6AC345B435C7C2E6B7949A04CE6F6563D3", DemoCluster.nativePasswordHash("app"));
        assertEquals("*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19", DemoCluster.nativePasswordHash("password"));
    }

    static List<Integer> freePorts(int n) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(s);
                ports.add(s.getLocalPort());
            }
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
        return ports;
    }
}
