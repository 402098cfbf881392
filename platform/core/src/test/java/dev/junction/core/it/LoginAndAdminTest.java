package dev.junction.core.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import dev.junction.core.auth.NativePassword;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/** Logins (good, bad, user-name forms, plugin switch), SHOW PROCESSLIST / KILL, and many concurrent clients. */
public class LoginAndAdminTest {

    private static JunctionFixture junction;

    @BeforeClass
    public static void up() throws Exception {
        junction = JunctionFixture.start(Map.of());
    }

    @AfterClass
    public static void down() {
        junction.close();
    }

    private static Connection login(String user, String password) throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + junction.port + "/test", user, password);
    }

    @Test
    public void wrongPasswordIsRefusedWith1045() {
        String[][] cases = {{"app", "wrong"}, {"nobody", "secret"}, {"app", ""}};
        for (String[] c : cases) {
            String u = c[0] + "/" + c[1];
            try {
                login(c[0], c[1]).close();
                fail("login must fail: " + u);
            } catch (SQLException e) {
                assertEquals(u, 1045, e.getErrorCode());
                assertEquals("28000", e.getSQLState());
            }
        }
    }

    @Test
    public void unknownTenantOrClusterGetsAClearError() {
        String[][] cases = {{"app@nosuch#demo", "unknown tenant 'nosuch'"}, {"app@app#elsewhere", "unknown cluster"},
            {"elsewhere:app:app", "unknown cluster 'elsewhere'"}};
        for (String[] c : cases) {
            try {
                login(c[0], "secret").close();
                fail("login must fail for " + c[0]);
            } catch (SQLException e) {
                assertEquals(1045, e.getErrorCode());
                assertTrue(e.getMessage(), e.getMessage().contains(c[1]));
            }
        }
    }

    @Test
    public void everyUserNameFormLogsIn() throws Exception {
        for (String user : new String[] {"app", "app@app", "app@app#demo", "app@app#demo:1", "demo:app:app",
            "demo-app-app", "demo.app.app"}) {
            try (Connection c = login(user, "secret"); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT CURRENT_USER()")) {
                assertTrue(rs.next());
                assertTrue(rs.getString(1).startsWith("app@"));
            }
        }
    }

    @Test
    public void clientOpeningWithCachingSha2IsSwitchedToNativePassword() throws Exception {
        try (RawClient raw = new RawClient(junction.port)) {
            byte[] hs = raw.readPayload();
            int p = 1;
            while (hs[p] != 0) {
                p++;
            }
            p += 1 + 4 + 8 + 1 + 2 + 1 + 2 + 2 + 1 + 10 + 13;
            String plugin = new String(hs, p, hs.length - p - 1, StandardCharsets.US_ASCII);
            assertEquals("mysql_native_password", plugin);
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int caps = 0x00000200 | 0x00008000 | 0x00080000 | 0x00200000;
            b.write(new byte[] {(byte) caps, (byte) (caps >> 8), (byte) (caps >> 16), (byte) (caps >> 24)});
            b.write(new byte[] {0, 0, 0, 1, 45});
            b.write(new byte[23]);
            b.write("app\0".getBytes(StandardCharsets.US_ASCII));
            b.write(32);
            b.write(new byte[32]);
            b.write("caching_sha2_password\0".getBytes(StandardCharsets.US_ASCII));
            raw.writePacket(1, b.toByteArray());
            byte[] sw = raw.readPayload();
            assertEquals(0xfe, sw[0] & 0xff);
            String name = new String(sw, 1, "mysql_native_password".length(), StandardCharsets.US_ASCII);
            assertEquals("mysql_native_password", name);
            byte[] scramble = java.util.Arrays.copyOfRange(sw, 2 + name.length(), 2 + name.length() + 20);
            raw.writePacket(3, NativePassword.token(NativePassword.sha1("secret".getBytes(StandardCharsets.UTF_8)), scramble));
            assertTrue(RawClient.isOk(raw.readPayload()));
            byte[] answer = raw.command(0x03, "SELECT 1");
            assertEquals(1, answer[0]); // one column
        }
    }

    @Test
    public void killQueryStopsARunningStatementAndProcesslistShowsIt() throws Exception {
        try (Connection victim = DriverManager.getConnection(junction.mariadbUrl(""));
                Connection admin = DriverManager.getConnection(junction.mysqlUrl(""))) {
            long victimId = ((org.mariadb.jdbc.Connection) victim).getThreadId();
            long started = System.nanoTime();
            CompletableFuture<String> sleeping = CompletableFuture.supplyAsync(() -> {
                try (Statement s = victim.createStatement(); ResultSet rs = s.executeQuery("SELECT SLEEP(30)")) {
                    rs.next();
                    return "result " + rs.getString(1);
                } catch (SQLException e) {
                    return "error " + e.getErrorCode();
                }
            });
            try (Statement s = admin.createStatement()) {
                awaitProcess(s, victimId, "SLEEP(30)");
                s.execute("KILL QUERY " + victimId);
            }
            String outcome = sleeping.get(20, TimeUnit.SECONDS);
            assertTrue("KILL QUERY took effect quickly: " + outcome,
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) < 20);
            // the killed session still works
            try (Statement s = victim.createStatement(); ResultSet rs = s.executeQuery("SELECT 7")) {
                rs.next();
                assertEquals(7, rs.getInt(1));
            }
            try (Statement s = admin.createStatement()) {
                s.execute("KILL CONNECTION " + victimId);
            }
            try (Statement s = victim.createStatement()) {
                s.executeQuery("SELECT 1");
                fail("a killed connection must not serve");
            } catch (SQLException expected) {
                // closed
            }
            try (Statement s = admin.createStatement()) {
                s.execute("KILL 999999");
                fail("unknown id");
            } catch (SQLException e) {
                assertEquals(1094, e.getErrorCode());
            }
        }
    }

    private static void awaitProcess(Statement s, long id, String infoPart) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (ResultSet rs = s.executeQuery("SHOW FULL PROCESSLIST")) {
                while (rs.next()) {
                    if (rs.getLong("Id") == id && rs.getString("Info") != null && rs.getString("Info").contains(infoPart)
                            && rs.getString("State").startsWith("running on")) {
                        return;
                    }
                }
            }
            Thread.onSpinWait();
        }
        fail("session " + id + " never showed " + infoPart);
    }

    @Test
    public void twoHundredConcurrentConnections() throws Exception {
        int n = 200;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(n);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                results.add(pool.submit(() -> {
                    String u = k % 2 == 0 ? junction.mariadbUrl("") : junction.mysqlUrl("");
                    try (Connection c = DriverManager.getConnection(u); Statement s = c.createStatement()) {
                        together.await(60, TimeUnit.SECONDS); // all 200 are connected at once
                        int sum = 0;
                        for (int q = 0; q < 5; q++) {
                            try (ResultSet rs = s.executeQuery("SELECT " + k + " + " + q)) {
                                rs.next();
                                sum += rs.getInt(1);
                            }
                        }
                        return sum;
                    }
                }));
            }
            for (int i = 0; i < n; i++) {
                assertEquals(5 * i + 10, (int) results.get(i).get(120, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertFalse(junction.server.sessions().size() > n);
    }
}
