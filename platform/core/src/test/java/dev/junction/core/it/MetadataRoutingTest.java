package dev.junction.core.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.junction.api.topology.ServerAddress;
import dev.junction.core.admin.AdminResult;
import dev.junction.core.auth.AccountsConfig;
import dev.junction.core.auth.NativePassword;
import dev.junction.core.metadata.ClusterMetadata;
import dev.junction.core.metadata.EmulatedOceanBase;
import dev.junction.core.metadata.MetadataService;
import dev.junction.core.metadata.TableRoute;
import dev.junction.core.routing.MetadataRouting;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The routing pipeline on the metadata layer, against three real MariaDB servers (the two shared ones and one
 * more) whose OceanBase metadata is emulated in the third one's {@code oceanbase} database. Every server's copy
 * of a table holds rows naming that server, so a result shows who answered.
 */
public class MetadataRoutingTest {

    private static final String TENANT = "app";
    private static JunctionFixture junction;
    private static int[] ports;
    private static int rs;
    private static MetadataService metadata;
    private static MetadataRouting wiring;

    @BeforeClass
    public static void up() throws Exception {
        junction = JunctionFixture.start(Map.of());
        rs = TestDatabases.startAnother();
        ports = new int[] {junction.dbPorts.get(0), junction.dbPorts.get(1), rs};
        createMetadata();
        for (int p : ports) {
            on(p, "DROP TABLE IF EXISTS test.t_one, test.t_part, test.t_move, test.t_refresh",
                    "CREATE TABLE test.t_one (id INT PRIMARY KEY, server INT)",
                    "INSERT INTO test.t_one VALUES (1, " + p + ")",
                    "CREATE TABLE test.t_part (id INT PRIMARY KEY, server INT)",
                    "INSERT INTO test.t_part VALUES (0, " + p + "), (1, " + p + "), (2, " + p + "), (3, " + p + "),"
                            + " (4, " + p + "), (5, " + p + "), (6, " + p + "), (7, " + p + "), (8, " + p + ")",
                    "CREATE TABLE test.t_move (id INT AUTO_INCREMENT PRIMARY KEY, server INT)",
                    "CREATE TABLE test.t_refresh (id INT PRIMARY KEY, server INT)",
                    "INSERT INTO test.t_refresh VALUES (1, " + p + ")");
        }
        junction.accounts.replace("metadata-test", AccountsConfig.parse(Map.of("user.app@meta#demo",
                NativePassword.formatHash(NativePassword.stage2(TestDatabases.PASSWORD)))).accounts());
        metadata = new MetadataService();
        Map<String, Object> cluster = new HashMap<>();
        cluster.put("name", "demo");
        cluster.put("metadata.source", "oceanbase");
        cluster.put("metadata.rslist", "127.0.0.1:" + rs);
        cluster.put("metadata.user", TestDatabases.USER);
        cluster.put("metadata.password", TestDatabases.PASSWORD);
        cluster.put("metadata.refresh_interval", "200ms");
        cluster.put("metadata.dirty_refetch_delay", "500ms");
        metadata.start(cluster, Files.createTempDirectory("junction-metadata-routing"));
        wiring = new MetadataRouting(metadata, junction.routing, junction.admin, junction.clusters);
        await("topology", () -> !meta().topology().isEmpty());
    }

    @AfterClass
    public static void down() {
        if (wiring != null) {
            wiring.close();
        }
        if (metadata != null) {
            metadata.stop("demo");
        }
        if (junction != null) {
            junction.close();
        }
    }

    private static ClusterMetadata meta() {
        return metadata.find("demo");
    }

    private static void on(int port, String... sql) throws Exception {
        try (Connection c = DriverManager.getConnection(TestDatabases.mariadbUrl(port, ""));
                Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    private static String server(int i) {
        return "'127.0.0.1', " + ports[i];
    }

    private static ServerAddress addr(int i) {
        return new ServerAddress("127.0.0.1", ports[i]);
    }

    /** OceanBase's proxy tables as MetadataTest emulates them: zones z1..z3, one server each. */
    private static void createMetadata() throws Exception {
        String db = "oceanbase";
        on(rs, EmulatedOceanBase.schema(db).toArray(new String[0]));
        on(rs, "INSERT INTO " + db + ".__all_virtual_zone_stat VALUES ('z1', 0, 'ACTIVE', 'hangzhou', 'hz1', 'ReadWrite'),"
                        + " ('z2', 0, 'ACTIVE', 'hangzhou', 'hz2', 'ReadWrite'), ('z3', 0, 'ACTIVE', 'shanghai', 'sh1', 'ReadWrite')",
                "INSERT INTO " + db + ".__all_virtual_proxy_server_stat VALUES (" + server(0) + ", 'z1', 'active', 1663664600100327, 0),"
                        + " (" + server(1) + ", 'z2', 'active', 1663664600100327, 0), (" + server(2) + ", 'z3', 'active', 1663664600100327, 0)",
                "INSERT INTO " + db + ".__all_tenant VALUES ('sys', 'z1', 'FULL{1}@z1'),"
                        + " ('app', 'z1;z2,z3', 'FULL{1}@z1, FULL{1}@z2, FULL{1}@z3'), ('meta', 'z3', 'FULL{1}@z3')",
                "INSERT INTO " + db + ".__all_virtual_proxy_schema VALUES ('sys', 'oceanbase', '__all_dummy', 0, " + server(0)
                        + ", 1, 1, 1, 1, 0)");
        table("t_one", 2001, 1, 0);
        table("t_part", 2002, 3, 0);
        table("t_move", 2003, 1, 0);
        table("t_refresh", 2004, 1, 0);
        on(rs, "INSERT INTO oceanbase.__all_virtual_proxy_partition_info VALUES ('app', 2002, 1, 3, 'HASH', 'id', 'INT', 0)");
    }

    /** A table's rows: partition p led by server (p + first) % 3, followed by the two others. */
    private static void table(String name, long id, int parts, int first) throws Exception {
        StringBuilder b = new StringBuilder("INSERT INTO oceanbase.__all_virtual_proxy_schema VALUES ");
        for (int p = 0; p < parts; p++) {
            for (int s = 0; s < 3; s++) {
                b.append(p == 0 && s == 0 ? "" : ", ").append("('app', 'test', '").append(name).append("', ").append(p)
                        .append(", ").append(server(s)).append(", ").append(id).append(", ")
                        .append(s == (p + first) % 3 ? 1 : 2).append(", ").append(parts).append(", 3, 0)");
            }
        }
        on(rs, b.toString());
    }

    /** Makes server {@code leader} the only leader of a table's partition 0 in the metadata. */
    private static void moveLeader(String table, int leader) throws Exception {
        on(rs, "UPDATE oceanbase.__all_virtual_proxy_schema SET role = IF(sql_port = " + ports[leader] + ", 1, 2)"
                + " WHERE table_name = '" + table + "'");
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static TableRoute awaitRoute(String table) throws InterruptedException {
        await(table + " cached", () -> meta().lookup(TENANT, "test", table).isPresent());
        return meta().lookup(TENANT, "test", table).orElseThrow();
    }

    private static ServerAddress leader(String table) {
        return meta().lookup(TENANT, "test", table).flatMap(r -> r.leader(0)).map(r -> r.server()).orElse(null);
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(junction.mariadbUrl(""));
    }

    private static int intQuery(Statement s, String sql) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
            assertTrue(sql, r.next());
            return r.getInt(1);
        }
    }

    private static int count(int port, String table, String where) throws Exception {
        return Integer.parseInt(TestDatabases.queryOn(port, "SELECT COUNT(*) FROM test." + table + " WHERE " + where));
    }

    @Test
    public void aStatementOnATableReachesItsLeader() throws Exception {
        awaitRoute("t_one");
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (int i = 0; i < 10; i++) {
                // unqualified: the session's database (test)
                assertEquals(ports[0], intQuery(s, "SELECT server FROM t_one WHERE id = 1"));
                assertEquals(ports[0], intQuery(s, "SELECT server FROM test.t_one"));
            }
        }
    }

    @Test
    public void rowsOfAPartitionedTableReachTheirPartitionsLeader() throws Exception {
        TableRoute route = awaitRoute("t_part");
        assertTrue(route.partitioned());
        for (int p = 0; p < 3; p++) {
            assertEquals(addr(p), route.leader(p).orElseThrow().server());
        }
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (int k = 0; k < 9; k++) {
                assertEquals("id " + k, ports[k % 3], intQuery(s, "SELECT server FROM test.t_part WHERE id = " + k));
                assertEquals("id " + k, ports[k % 3], intQuery(s, "SELECT server FROM t_part WHERE id IN (" + k + ")"));
            }
            for (int k = 100; k < 106; k++) {
                assertEquals(1, s.executeUpdate("INSERT INTO test.t_part (id, server) VALUES (" + k + ", 0)"));
            }
        }
        for (int k = 100; k < 106; k++) {
            for (int j = 0; j < 3; j++) {
                assertEquals("row " + k + " on server " + j, j == k % 3 ? 1 : 0, count(ports[j], "t_part", "id = " + k));
            }
        }
    }

    @Test
    public void aNotLeaderRefusalMakesRoutingFollowTheMovedLeader() throws Exception {
        awaitRoute("t_move");
        assertEquals(addr(0), leader("t_move"));
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO test.t_move (server) VALUES (1)");
            assertEquals(1, count(ports[0], "t_move", "server = 1"));

            // the leader moves to server 1; the old leader now refuses like an OceanBase follower
            moveLeader("t_move", 1);
            on(ports[0], "CREATE TRIGGER test.t_move_not_master BEFORE INSERT ON test.t_move FOR EACH ROW"
                    + " SIGNAL SQLSTATE 'HY000' SET MYSQL_ERRNO = 4038, MESSAGE_TEXT = 'Not master'");
            try {
                // refused by server 0, retried elsewhere: the client sees success
                assertEquals(1, s.executeUpdate("INSERT INTO test.t_move (server) VALUES (2)"));
                assertEquals(0, count(ports[0], "t_move", "server = 2"));
                await("the route refetched after the refusal", () -> addr(1).equals(leader("t_move")));
                for (int i = 0; i < 5; i++) {
                    s.executeUpdate("INSERT INTO test.t_move (server) VALUES (3)");
                }
                assertEquals(5, count(ports[1], "t_move", "server = 3"));
            } finally {
                on(ports[0], "DROP TRIGGER test.t_move_not_master");
            }
        }
    }

    @Test
    public void anAdminRefreshMakesRoutingFollowTheMovedLeader() throws Exception {
        long generation = awaitRoute("t_refresh").generation();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            assertEquals(ports[0], intQuery(s, "SELECT server FROM test.t_refresh WHERE id = 1"));
            moveLeader("t_refresh", 2);
            // no feedback: the cached leader keeps its statements
            assertEquals(ports[0], intQuery(s, "SELECT server FROM test.t_refresh WHERE id = 1"));
            assertEquals(generation, meta().lookup(TENANT, "test", "t_refresh").orElseThrow().generation());

            AdminResult r = junction.admin.execute("alter proxyroute refresh test.t_refresh");
            assertFalse(r.text(), r.isError());
            await("refetched", () -> addr(2).equals(leader("t_refresh")));
            for (int i = 0; i < 5; i++) {
                assertEquals(ports[2], intQuery(s, "SELECT server FROM test.t_refresh WHERE id = 1"));
            }
            String routes = junction.admin.routes().text();
            assertTrue(routes, routes.contains("test.t_refresh") && routes.contains(addr(2) + " LEADER"));

            // the gogo face waits and names the new leader
            moveLeader("t_refresh", 1);
            String text = junction.admin.refreshRoutes("demo", "test.t_refresh", true).text();
            assertTrue(text, text.contains("leaders [" + addr(1) + "]"));
            assertEquals(ports[1], intQuery(s, "SELECT server FROM test.t_refresh WHERE id = 1"));
            String all = junction.admin.refreshRoutes(null, null, true).text();
            assertTrue(all, all.contains("demo: topology and"));
        }
    }

    @Test
    public void tableLessStatementsSpreadOverTheTenantsServersFromMetadata() throws Exception {
        Set<Integer> seen = new HashSet<>();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (int i = 0; i < 30; i++) {
                seen.add(intQuery(s, "SELECT @@port"));
            }
        }
        // the cluster file names two servers; the metadata three
        assertEquals(Set.of(ports[0], ports[1], ports[2]), seen);
    }

    @Test
    public void explainRouteNamesTheLeaderAndThePolicy() throws Exception {
        awaitRoute("t_part");
        AdminResult explain = junction.admin.explainRoute("SELECT server FROM test.t_part WHERE id = 4", null);
        String text = explain.text();
        assertTrue(text, text.contains("HASH partition 1 of 3"));
        assertTrue(text, text.contains("leader " + addr(1)));
        assertTrue(text, text.contains(addr(1) + " LEADER zone z2"));
        assertTrue(text, text.contains("leader first (strong read)"));
        assertTrue(text, explain.rows().contains(List.of("first server", addr(1).toString())));
        String tableLess = junction.admin.explainRoute("SELECT 1", null).text();
        assertTrue(tableLess, tableLess.contains("no table: tenant app's servers from the metadata"));
    }

    @Test
    public void aTenantKnownOnlyToTheMetadataLogsIn() throws Exception {
        // tenant meta (of the default cluster demo) is in no cluster file; the metadata gives it zone z3's server
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + junction.port
                + "/test?user=app@meta&password=" + TestDatabases.PASSWORD); Statement s = c.createStatement()) {
            for (int i = 0; i < 5; i++) {
                assertEquals(ports[2], intQuery(s, "SELECT @@port"));
            }
        }
    }

    @Test
    public void withoutTheMetadataRoutingIsBackOnTheConfiguredServers() throws Exception {
        assertFalse(junction.routing.idle());
        assertFalse("an oceanbase-sourced cluster needs analysis", junction.routing.idle("demo"));
        assertTrue("a cluster whose metadata cannot locate tables keeps the plain path", junction.routing.idle("elsewhere"));
        wiring.close();
        try {
            assertTrue(junction.routing.idle());
            assertEquals(List.of(), junction.admin.routes().rows());
            Set<Integer> seen = new HashSet<>();
            try (Connection c = connect(); Statement s = c.createStatement()) {
                for (int i = 0; i < 10; i++) {
                    seen.add(intQuery(s, "SELECT @@port"));
                }
            }
            assertEquals(Set.of(ports[0], ports[1]), seen);
        } finally {
            wiring = new MetadataRouting(metadata, junction.routing, junction.admin, junction.clusters);
        }
        assertFalse(junction.routing.idle());
        assertTrue(junction.admin.routes().rows().size() > 0 || meta().routes().isEmpty());
    }
}
