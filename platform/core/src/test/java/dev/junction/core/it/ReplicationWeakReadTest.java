package dev.junction.core.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import dev.junction.core.auth.AccountsConfig;
import dev.junction.core.auth.NativePassword;
import dev.junction.core.cluster.ClusterConfig;
import dev.junction.core.metadata.MetadataService;
import dev.junction.core.metadata.ServerControlService;
import dev.junction.ldc.LdcRoutingPolicy;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Weak reads on a real MariaDB replication pair described as two zones of cluster {@code repl}: the primary in
 * IDC hz2, its replica in hz1, the proxy in hz1. Weak reads go to the replica; strong statements to the primary;
 * when the replica's SQL thread stops (its lag is unknown, {@code Seconds_Behind_Master} NULL) weak reads move to
 * the primary, and back once it replicates again. Roles and lag come from the routing-ldc bundle's
 * {@code SHOW SLAVE STATUS} checks through the core's ServerControl.
 */
public class ReplicationWeakReadTest {

    private static JunctionFixture junction;
    private static int primary;
    private static int replica;
    private static MetadataService metadata;
    private static LdcRoutingPolicy ldc;

    @BeforeClass
    public static void up() throws Exception {
        junction = JunctionFixture.start(Map.of());
        primary = TestDatabases.startAnother("--log-bin=primary-bin", "--server-id=101", "--binlog-format=ROW");
        replica = TestDatabases.startAnother("--server-id=102");
        String file;
        long pos;
        try (Connection c = direct(primary); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
            assertTrue("binary log on", rs.next());
            file = rs.getString("File");
            pos = rs.getLong("Position");
        }
        try (Connection c = direct(replica); Statement s = c.createStatement()) {
            s.execute("CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + primary + ", MASTER_USER='"
                    + TestDatabases.USER + "', MASTER_PASSWORD='" + TestDatabases.PASSWORD + "', MASTER_LOG_FILE='" + file
                    + "', MASTER_LOG_POS=" + pos);
            s.execute("START SLAVE");
        }
        try (Connection c = direct(primary); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE test.kv (k INT PRIMARY KEY, v INT)");
            s.execute("INSERT INTO test.kv VALUES (1, 1)");
        }
        await("the replica has test.kv", () -> count(replica, "SELECT COUNT(*) FROM test.kv") == 1);

        Map<String, Object> cluster = new HashMap<>();
        cluster.put("name", "repl");
        cluster.put("id", "2");
        cluster.put("zones", "primary,replica");
        cluster.put("zone.primary.region", "hangzhou");
        cluster.put("zone.primary.idc", "hz2");
        cluster.put("zone.primary.servers", "127.0.0.1:" + primary);
        cluster.put("zone.replica.region", "hangzhou");
        cluster.put("zone.replica.idc", "hz1");
        cluster.put("zone.replica.servers", "127.0.0.1:" + replica);
        cluster.put("tenants", "app");
        cluster.put("tenant.app.zones", "primary,replica");
        cluster.put("metadata.user", TestDatabases.USER);
        cluster.put("metadata.password", TestDatabases.PASSWORD);
        junction.clusters.put(ClusterConfig.parse(cluster));
        junction.accounts.replace("repl-test", AccountsConfig.parse(Map.of("user.app@app#repl",
                NativePassword.formatHash(NativePassword.stage2(TestDatabases.PASSWORD)))).accounts());
        metadata = new MetadataService();
        metadata.start(cluster, Files.createTempDirectory("junction-repl"));
        ldc = new LdcRoutingPolicy(new ServerControlService(metadata, junction.admin));
        assertNull(ldc.configure(Map.of("proxy_idc_name", "hz1", "replication_clusters", "repl",
                "max_replica_lag", "5s", "replica_lag_check_interval", "200ms")));
        junction.services.policies().add(ldc, "ldc", 100, -1);
        await("roles known", () -> ldc.toString() != null && replicaKnown());
    }

    private static boolean replicaKnown() {
        try (Connection c = proxy(); Statement s = c.createStatement()) {
            return whoami(s, "SELECT /*+ READ_CONSISTENCY(WEAK) */ port FROM test.whoami") == replica;
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    @AfterClass
    public static void down() {
        if (ldc != null) {
            junction.services.policies().remove(ldc);
            ldc.close();
        }
        if (metadata != null) {
            metadata.stop("repl");
        }
        if (junction != null) {
            junction.close();
        }
    }

    private static Connection direct(int port) throws SQLException {
        return DriverManager.getConnection(TestDatabases.mariadbUrl(port, ""));
    }

    private static Connection proxy() throws SQLException {
        java.util.Properties login = new java.util.Properties();
        login.setProperty("user", "app@app#repl");
        login.setProperty("password", TestDatabases.PASSWORD);
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + junction.port + "/test", login);
    }

    private static long count(int port, String sql) {
        try (Connection c = direct(port); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    private static int whoami(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void await(String what, Check condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    public void weakReadsGoToTheNearestReplicaUnlessItLags() throws Exception {
        try (Connection c = proxy(); Statement s = c.createStatement()) {
            for (int i = 0; i < 20; i++) {
                assertEquals("weak read", replica, whoami(s, "SELECT /*+ READ_CONSISTENCY(WEAK) */ port FROM test.whoami"));
                assertEquals("strong read", primary, whoami(s, "SELECT port FROM test.whoami"));
            }
            s.execute("INSERT INTO test.kv VALUES (2, 2)"); // a write lands on the primary
            await("replicated", () -> count(replica, "SELECT COUNT(*) FROM test.kv WHERE k = 2") == 1);

            try (Connection r = direct(replica); Statement rs = r.createStatement()) {
                rs.execute("STOP SLAVE SQL_THREAD");
            }
            try {
                s.execute("INSERT INTO test.kv VALUES (3, 3)"); // not applied on the replica now
                await("weak reads leave the stopped replica",
                        () -> whoami(s, "SELECT /*+ READ_CONSISTENCY(WEAK) */ port FROM test.whoami") == primary);
                for (int i = 0; i < 20; i++) {
                    assertEquals(3, count(primary, "SELECT COUNT(*) FROM test.kv"));
                    try (ResultSet rs = s.executeQuery("SELECT /*+ READ_CONSISTENCY(WEAK) */ COUNT(*) FROM test.kv")) {
                        rs.next();
                        assertEquals("weak reads see the primary's rows, not the stale replica", 3, rs.getLong(1));
                    }
                }
                String explain = junction.admin.explainRoute("SELECT /*+ READ_CONSISTENCY(WEAK) */ 1", "app@app#repl").text();
                assertTrue(explain, explain.contains("LAGGING (replica, replication stopped"));
            } finally {
                try (Connection r = direct(replica); Statement rs = r.createStatement()) {
                    rs.execute("START SLAVE SQL_THREAD");
                }
            }
            await("weak reads back on the replica",
                    () -> whoami(s, "SELECT /*+ READ_CONSISTENCY(WEAK) */ port FROM test.whoami") == replica);
            assertEquals(3, count(replica, "SELECT COUNT(*) FROM test.kv"));
        }
    }
}
