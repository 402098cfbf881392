package dev.junction.core.metadata;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.junction.api.topology.Replica;
import dev.junction.api.topology.ReplicaRole;
import dev.junction.api.topology.ReplicaType;
import dev.junction.api.topology.ServerAddress;
import dev.junction.api.topology.ServerState;
import dev.junction.api.topology.Zone;
import dev.junction.core.it.TestDatabases;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The metadata sources against OceanBase's proxy tables emulated as plain tables in a MariaDB server (the
 * "rslist" server), whose servers are the test MariaDB instances. Partition computation is checked against
 * real MariaDB partitioned tables.
 */
public class MetadataTest {

    static {
        dev.junction.core.it.LeakRecorder.install(); // before any buffer class initialises
    }

    private static final String TENANT = "app";
    private static int[] ports;
    private static int rs;
    private static int closedPort;
    private static final List<MetadataCache> CACHES = new ArrayList<>();

    @BeforeClass
    public static void setUp() throws Exception {
        List<Integer> shared = TestDatabases.ports();
        rs = TestDatabases.startAnother();
        ports = new int[] {shared.get(0), shared.get(1), rs};
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        createMetadata("oceanbase");
        createMetadata("ob_broken");
        createRealPartitionedTables();
    }

    @AfterClass
    public static void tearDown() {
        for (MetadataCache c : CACHES) {
            c.close();
        }
    }

    private static void sql(String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection(TestDatabases.mariadbUrl(rs, ""));
                Statement s = c.createStatement()) {
            for (String q : statements) {
                s.execute(q);
            }
        }
    }

    private static String server(int i) {
        return "'127.0.0.1', " + ports[i];
    }

    private static void createMetadata(String db) throws Exception {
        sql(EmulatedOceanBase.schema(db).toArray(new String[0]));
        sql("INSERT INTO " + db + ".__all_virtual_zone_stat VALUES ('z1', 0, 'ACTIVE', 'hangzhou', 'hz1', 'ReadWrite'),"
                        + " ('z2', 1, 'ACTIVE', 'hangzhou', 'hz2', 'ReadWrite'), ('z3', 0, 'ACTIVE', 'shanghai', 'sh1', 'ReadOnly')",
                "INSERT INTO " + db + ".__all_virtual_proxy_server_stat VALUES (" + server(0) + ", 'z1', 'active', 1663664600100327, 0),"
                        + " (" + server(1) + ", 'z2', 'active', 1663664600100327, 0), (" + server(2) + ", 'z3', 'active', 1663664600100327, 0),"
                        + " ('127.0.0.2', 2881, 'z1', 'inactive', 1663664600100327, 0), ('127.0.0.3', 2881, 'z2', 'active', 0, 0),"
                        + " ('127.0.0.4', 2881, 'z3', 'active', 1663664600100327, 1663664700000000),"
                        + " ('127.0.0.5', 2881, 'z3', 'deleting', 1663664600100327, 0)",
                "INSERT INTO " + db + ".__all_tenant VALUES ('sys', 'z1', 'FULL{1}@z1'),"
                        + " ('app', 'z1;z2,z3', 'FULL{1}@z1, FULL{1}@z2, READONLY{1}@z3')",
                "INSERT INTO " + db + ".__all_virtual_proxy_schema VALUES ('sys', 'oceanbase', '__all_dummy', 0, " + server(0)
                        + ", 1, 1, 1, 1, 0)");
        table(db, "t_single", 1001, 1, null, null, null);
        table(db, "t_move", 1002, 1, null, null, null);
        table(db, "t_hash", 1003, 4, "HASH", "id", "INT");
        table(db, "t_key", 1004, 4, "KEY", "id", "INT");
        table(db, "t_keybig", 1005, 7, "1", "id", "5"); // OceanBase numeric codes: KEY, ObIntType (BIGINT)
        table(db, "t_keystr", 1006, 5, "KEY", "name", "VARCHAR");
        table(db, "t_range", 1007, 3, "RANGE", "id", "INT");
        table(db, "t_rangec", 1008, 3, "RANGE_COLUMNS", "name,id", "VARCHAR,INT");
        table(db, "t_list", 1009, 3, "LIST", "id", "INT");
        table(db, "t_listc", 1010, 3, "LIST_COLUMNS", "name", "VARCHAR");
        sql("INSERT INTO " + db + ".__all_virtual_proxy_partition VALUES"
                + " ('app', 1007, 0, 'p0', '100', NULL), ('app', 1007, 1, 'p1', '200', NULL),"
                + " ('app', 1007, 2, 'p2', 'MAXVALUE', NULL),"
                + " ('app', 1008, 0, 'p0', '''g'',10', NULL), ('app', 1008, 1, 'p1', '''p'',MAXVALUE', NULL),"
                + " ('app', 1008, 2, 'p2', 'MAXVALUE,MAXVALUE', NULL),"
                + " ('app', 1009, 0, 'p0', NULL, '1,2,3'), ('app', 1009, 1, 'p1', NULL, '4,5,NULL'),"
                + " ('app', 1009, 2, 'p2', NULL, '-6'),"
                + " ('app', 1010, 0, 'p0', NULL, '''a'',''b'''), ('app', 1010, 1, 'p1', NULL, '''c'''),"
                + " ('app', 1010, 2, 'p2', NULL, 'DEFAULT')");
    }

    /** One table's rows: partition i led by server i % 3, followed by the others (the z3 one READONLY). */
    private static void table(String db, String name, long id, int parts, String type, String keys, String keyTypes)
            throws Exception {
        StringBuilder b = new StringBuilder("INSERT INTO " + db + ".__all_virtual_proxy_schema VALUES ");
        for (int p = 0; p < parts; p++) {
            for (int s = 0; s < 3; s++) {
                b.append(p == 0 && s == 0 ? "" : ", ").append("('app', 'test', '").append(name).append("', ").append(p)
                        .append(", ").append(server(s)).append(", ").append(id).append(", ")
                        .append(s == p % 3 ? 1 : 2).append(", ").append(parts).append(", 3, ")
                        .append(s == 2 && s != p % 3 ? 16 : 0).append(")");
            }
        }
        sql(b.toString());
        if (type != null) {
            String[] k = keys.split(",");
            String[] t = keyTypes.split(",");
            for (int i = 0; i < k.length; i++) {
                sql("INSERT INTO " + db + ".__all_virtual_proxy_partition_info VALUES ('app', " + id + ", 1, " + parts
                        + ", '" + type + "', '" + k[i] + "', '" + t[i] + "', " + i + ")");
            }
        }
    }

    private static void createRealPartitionedTables() throws Exception {
        sql("CREATE DATABASE parts",
                "CREATE TABLE parts.t_hash (id INT) PARTITION BY HASH(id) PARTITIONS 4",
                "CREATE TABLE parts.t_key (id INT) PARTITION BY KEY(id) PARTITIONS 4",
                "CREATE TABLE parts.t_keybig (id BIGINT) PARTITION BY KEY(id) PARTITIONS 7",
                "CREATE TABLE parts.t_keystr (name VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin)"
                        + " PARTITION BY KEY(name) PARTITIONS 5",
                "CREATE TABLE parts.t_range (id INT) PARTITION BY RANGE(id) (PARTITION p0 VALUES LESS THAN (100),"
                        + " PARTITION p1 VALUES LESS THAN (200), PARTITION p2 VALUES LESS THAN MAXVALUE)",
                "CREATE TABLE parts.t_rangec (name VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin, id INT)"
                        + " PARTITION BY RANGE COLUMNS(name, id) (PARTITION p0 VALUES LESS THAN ('g', 10),"
                        + " PARTITION p1 VALUES LESS THAN ('p', MAXVALUE), PARTITION p2 VALUES LESS THAN (MAXVALUE, MAXVALUE))",
                "CREATE TABLE parts.t_list (id INT) PARTITION BY LIST(id) (PARTITION p0 VALUES IN (1,2,3),"
                        + " PARTITION p1 VALUES IN (4,5,NULL), PARTITION p2 VALUES IN (-6))",
                "CREATE TABLE parts.t_listc (name VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin)"
                        + " PARTITION BY LIST COLUMNS(name) (PARTITION p0 VALUES IN ('a','b'), PARTITION p1 VALUES IN ('c'),"
                        + " PARTITION p2 DEFAULT)");
    }

    private static Map<String, Object> props(String cluster, String db, String rslist) {
        Map<String, Object> m = new HashMap<>();
        m.put("name", cluster);
        m.put("metadata.source", "oceanbase");
        m.put("metadata.rslist", rslist);
        m.put("metadata.user", TestDatabases.USER);
        m.put("metadata.password", TestDatabases.PASSWORD);
        m.put("metadata.database", db);
        m.put("metadata.refresh_interval", "200ms");
        m.put("metadata.dirty_refetch_delay", "1s");
        m.put("metadata.error_log_interval", "1m");
        return m;
    }

    private static MetadataCache start(Map<String, Object> props, Path dataDir) throws Exception {
        MetadataCache c = MetadataCache.create(MetadataConfig.parse(props), null, props,
                dataDir == null ? Files.createTempDirectory("junction-metadata") : dataDir);
        synchronized (CACHES) {
            CACHES.add(c);
        }
        c.start();
        return c;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static TableRoute awaitRoute(ClusterMetadata m, String table) throws InterruptedException {
        await(table + " route", () -> m.lookup(TENANT, "test", table).isPresent());
        return m.lookup(TENANT, "test", table).orElseThrow();
    }

    private static ServerAddress addr(int i) {
        return new ServerAddress("127.0.0.1", ports[i]);
    }

    private static MetadataCache good;

    private static synchronized MetadataCache good() throws Exception {
        if (good == null) {
            // the first rslist entry is closed: the source moves on to the next
            good = start(props("ob1", "oceanbase", "127.0.0.1:" + closedPort + ",127.0.0.1:" + rs), null);
            await("topology", () -> !good.topology().isEmpty());
        }
        return good;
    }

    @Test
    public void topologyZonesStatesAndTenants() throws Exception {
        Topology t = good().topology();
        assertEquals("oceanbase", t.source());
        assertEquals(new Zone("z1", "hangzhou", "hz1", false, false), t.zones().get("z1"));
        assertEquals(new Zone("z2", "hangzhou", "hz2", true, false), t.zones().get("z2"));
        assertEquals(new Zone("z3", "shanghai", "sh1", false, true), t.zones().get("z3"));
        assertEquals(ServerState.ACTIVE, t.stateOf(addr(0)));
        assertEquals("z2", t.server(addr(1)).zone());
        assertEquals(ServerState.INACTIVE, t.stateOf(new ServerAddress("127.0.0.2", 2881)));
        assertEquals(ServerState.REPLAY, t.stateOf(new ServerAddress("127.0.0.3", 2881)));
        assertEquals(ServerState.UPGRADE, t.stateOf(new ServerAddress("127.0.0.4", 2881)));
        assertEquals(ServerState.DELETING, t.stateOf(new ServerAddress("127.0.0.5", 2881)));
        assertEquals(ServerState.DELETED, t.stateOf(new ServerAddress("10.9.9.9", 1)));
        assertEquals("z1;z2,z3", good().primaryZone("APP"));
        // app's servers from its locality (z1, z2, z3; every server not DELETED, in zone order)
        List<ServerAddress> app = t.tenant("app").servers();
        assertEquals(List.of(addr(0), new ServerAddress("127.0.0.2", 2881), addr(1),
                new ServerAddress("127.0.0.3", 2881), addr(2), new ServerAddress("127.0.0.4", 2881),
                new ServerAddress("127.0.0.5", 2881)), app);
        // sys's servers from its __all_dummy rows
        List<Replica> sys = good().tenantServers("sys");
        assertEquals(1, sys.size());
        assertEquals(addr(0), sys.get(0).server());
        assertEquals(ReplicaRole.NONE, sys.get(0).role());
        assertEquals("hz1", sys.get(0).zone().idc());
        assertEquals(ServerAddress.parse("127.0.0.1:" + rs), ((OceanBaseSource) good().source()).connectedTo());
    }

    @Test
    public void leadersAndReplicasPerPartition() throws Exception {
        ClusterMetadata m = good();
        TableRoute single = awaitRoute(m, "t_single");
        assertTrue(single.exists());
        assertFalse(single.partitioned());
        assertEquals(1001, single.tableId());
        assertEquals(OptionalLong.of(0), m.partitionFor(single, Map.of()));
        List<Replica> reps = single.replicas(0);
        assertEquals(3, reps.size());
        assertEquals(addr(0), reps.get(0).server());
        assertTrue(reps.get(0).isLeader());
        assertEquals(ReplicaRole.FOLLOWER, reps.get(1).role());
        Replica z3 = reps.stream().filter(r -> r.server().equals(addr(2))).findFirst().orElseThrow();
        assertEquals(ReplicaType.READONLY, z3.type());
        assertTrue(z3.zone().readOnly());

        TableRoute hash = awaitRoute(m, "T_HASH");
        assertEquals(PartitionInfo.Type.HASH, hash.partitionInfo().type());
        assertEquals(4, hash.partitions().size());
        for (int p = 0; p < 4; p++) {
            assertEquals(addr(p % 3), hash.leader(p).orElseThrow().server());
        }
        TableRoute missing = awaitRoute(m, "no_such_table");
        assertFalse(missing.exists());
        assertEquals(OptionalLong.empty(), m.partitionFor(missing, Map.of("id", List.of("1"))));
    }

    @Test
    public void partitionsMatchMariaDB() throws Exception {
        ClusterMetadata m = good();
        List<String> ints = new ArrayList<>();
        for (int i = -300; i <= 300; i += 7) {
            ints.add(Integer.toString(i));
        }
        ints.addAll(List.of("0", "1", "2", "3", "4", "5", "-6", "99", "100", "199", "200", "2147483647", "-2147483648"));
        List<String> listInts = List.of("1", "2", "3", "4", "5", "-6", "NULL");
        List<String> bigs = new ArrayList<>(ints);
        bigs.addAll(List.of("9223372036854775807", "-9223372036854775808", "4294967296", "123456789012"));
        List<String> strings = List.of("a", "b", "c", "d", "abc", "hello", "Hello", "g", "gz", "o", "p", "pz", "zzz",
                "ümlaut", "日本", "x y", "trailing  ", "", "0", "NULL");

        checkAgainstMariaDB(m, "t_hash", "id", 4, ints, 1);
        checkAgainstMariaDB(m, "t_key", "id", 4, ints, 1);
        checkAgainstMariaDB(m, "t_keybig", "id", 7, bigs, 1);
        checkAgainstMariaDB(m, "t_keystr", "name", 5, strings, 1);
        checkAgainstMariaDB(m, "t_range", "id", 3, ints, 1);
        checkAgainstMariaDB(m, "t_list", "id", 3, listInts, 1);
        checkAgainstMariaDB(m, "t_listc", "name", 3, strings, 1);

        // RANGE COLUMNS over (name, id)
        TableRoute rc = awaitRoute(m, "t_rangec");
        Map<String, Long> expected = new HashMap<>();
        List<String[]> pairs = new ArrayList<>();
        for (String s : List.of("a", "g", "h", "p", "q", "zz")) {
            for (String i : List.of("-5", "9", "10", "11")) {
                pairs.add(new String[] {s, i});
            }
        }
        try (Connection c = DriverManager.getConnection(TestDatabases.mariadbUrl(rs, ""));
                Statement st = c.createStatement()) {
            for (String[] p : pairs) {
                st.execute("INSERT INTO parts.t_rangec VALUES ('" + p[0] + "', " + p[1] + ")");
            }
            for (int part = 0; part < 3; part++) {
                try (ResultSet r = st.executeQuery("SELECT name, id FROM parts.t_rangec PARTITION (p" + part + ")")) {
                    while (r.next()) {
                        expected.put(r.getString(1) + "/" + r.getString(2), (long) part);
                    }
                }
            }
        }
        for (String[] p : pairs) {
            OptionalLong got = m.partitionFor(rc, Map.of("t_rangec.name", List.of("'" + p[0] + "'"), "ID", List.of(p[1])));
            assertEquals(p[0] + "/" + p[1], OptionalLong.of(expected.get(p[0] + "/" + p[1])), got);
        }
        // IN lists: one partition → computed; several → unknown
        TableRoute hash = awaitRoute(m, "t_hash");
        assertEquals(OptionalLong.of(1), m.partitionFor(hash, Map.of("id", List.of("1", "5", "-9"))));
        assertEquals(OptionalLong.empty(), m.partitionFor(hash, Map.of("id", List.of("1", "2"))));
        assertEquals(OptionalLong.empty(), m.partitionFor(hash, Map.of("other", List.of("1"))));
        assertEquals(OptionalLong.empty(), m.partitionFor(hash, Map.of("id", List.of("'abc'"))));
    }

    /** Inserts each value into the real MariaDB table and compares each row's partition with ours. */
    private static void checkAgainstMariaDB(ClusterMetadata m, String table, String column, int parts,
            List<String> values, int unused) throws Exception {
        TableRoute route = awaitRoute(m, table);
        Map<String, Long> actual = new HashMap<>();
        try (Connection c = DriverManager.getConnection(TestDatabases.mariadbUrl(rs, ""));
                Statement st = c.createStatement()) {
            for (String v : values) {
                String lit = v.equals("NULL") || route.partitionInfo().keyTypes().get(0).isInteger() ? v
                        : "'" + v + "'";
                st.execute("INSERT INTO parts." + table + " VALUES (" + lit + ")");
            }
            for (int p = 0; p < parts; p++) {
                try (ResultSet r = st.executeQuery("SELECT " + column + " FROM parts." + table + " PARTITION (p" + p + ")")) {
                    while (r.next()) {
                        String v = r.getString(1);
                        actual.put(v == null ? "NULL" : v, (long) p);
                    }
                }
            }
        }
        for (String v : values) {
            boolean str = !route.partitionInfo().keyTypes().get(0).isInteger();
            String stored = str && !v.equals("NULL") ? Partitions.stripTrailingSpaces(v) : v;
            Long want = actual.get(stored);
            if (want == null) {
                want = actual.get(v);
            }
            assertNotNull(table + ": MariaDB has no row for " + v, want);
            String lit = str && !v.equals("NULL") ? "'" + v + "'" : v;
            assertEquals(table + " value " + v, OptionalLong.of(want), m.partitionFor(route, Map.of(column, List.of(lit))));
        }
    }

    @Test
    public void leaderMoveSeenAfterMarkDirtyNoSoonerThanTheDelay() throws Exception {
        ClusterMetadata m = good();
        TableRoute first = awaitRoute(m, "t_move");
        assertEquals(addr(0), first.leader(0).orElseThrow().server());
        sql("UPDATE oceanbase.__all_virtual_proxy_schema SET role = IF(sql_port = " + ports[1] + ", 1, 2)"
                + " WHERE table_name = 't_move'");
        // without feedback the entry is not refetched
        assertEquals(first.generation(), m.lookup(TENANT, "test", "t_move").orElseThrow().generation());
        assertTrue(m.markDirty(first, DirtyReason.NOT_LEADER));
        await("the new leader", () -> m.lookup(TENANT, "test", "t_move").orElseThrow().leader(0).orElseThrow()
                .server().equals(addr(1)));
        TableRoute second = m.lookup(TENANT, "test", "t_move").orElseThrow();
        assertEquals(first.generation() + 1, second.generation());
        assertTrue("refetched " + (second.updatedAtNanos() - first.updatedAtNanos()) / 1_000_000 + " ms after",
                second.updatedAtNanos() - first.updatedAtNanos() >= TimeUnit.SECONDS.toNanos(1));
        // feedback about the replaced entry is ignored
        assertFalse(m.markDirty(first, DirtyReason.LAST_RETRY));
        // the admin refresh does not wait
        sql("UPDATE oceanbase.__all_virtual_proxy_schema SET role = IF(sql_port = " + ports[2] + ", 1, 2)"
                + " WHERE table_name = 't_move'");
        Optional<TableRoute> third = m.refresh(TENANT, "test", "t_move").get(10, TimeUnit.SECONDS);
        assertEquals(addr(2), third.orElseThrow().leader(0).orElseThrow().server());
    }

    @Test
    public void missingOrMalformedTablesKeepTheLastGoodMetadata() throws Exception {
        MetadataCache m = start(props("broken", "ob_broken", "127.0.0.1:" + rs), null);
        await("topology", () -> !m.topology().isEmpty());
        Topology good = m.topology();
        TableRoute route = awaitRoute(m, "t_hash");

        sql("RENAME TABLE ob_broken.__all_virtual_proxy_server_stat TO ob_broken.server_stat_away");
        await("missing table noticed", () -> m.status().lastProblem() != null
                && m.status().lastProblem().contains("__all_virtual_proxy_server_stat"));
        assertEquals(good.servers(), m.topology().servers());

        sql("RENAME TABLE ob_broken.server_stat_away TO ob_broken.__all_virtual_proxy_server_stat");
        await("recovered", () -> m.status().lastProblem() == null);
        sql("ALTER TABLE ob_broken.__all_virtual_zone_stat DROP COLUMN zone");
        await("malformed table noticed", () -> m.status().lastProblem() != null
                && m.status().lastProblem().contains("no column zone"));
        assertEquals(good.zones(), m.topology().zones());
        sql("ALTER TABLE ob_broken.__all_virtual_zone_stat ADD COLUMN zone VARCHAR(64) FIRST",
                "UPDATE ob_broken.__all_virtual_zone_stat SET zone = IF(region = 'shanghai', 'z3', IF(is_merging, 'z2', 'z1'))");
        await("recovered", () -> m.status().lastProblem() == null);
        sql("INSERT INTO ob_broken.__all_virtual_proxy_server_stat VALUES ('127.0.0.9', 1, 'z1', 'exploded', 1, 0)");
        await("bad status noticed", () -> m.status().lastProblem() != null
                && m.status().lastProblem().contains("exploded"));
        assertEquals(good.servers(), m.topology().servers());

        // a table fetch that fails keeps the old entry
        sql("RENAME TABLE ob_broken.__all_virtual_proxy_schema TO ob_broken.schema_away");
        assertTrue(m.markDirty(route, DirtyReason.TABLE_MISSING));
        await("failed refetch", () -> m.status().lastProblem() != null
                && m.status().lastProblem().contains("__all_virtual_proxy_schema"));
        assertEquals(route.generation(), m.lookup(TENANT, "test", "t_hash").orElseThrow().generation());
        assertEquals(addr(1), m.lookup(TENANT, "test", "t_hash").orElseThrow().leader(1).orElseThrow().server());
        assertTrue(m.problems().has("tables"));
    }

    @Test
    public void unreachableRslistServesNothingAndBlocksNothing() throws Exception {
        MetadataCache m = start(props("nowhere", "oceanbase", "127.0.0.1:" + closedPort), null);
        await("problem", () -> m.status().lastProblem() != null
                && m.status().lastProblem().contains("no rslist server reachable"));
        assertTrue(m.topology().isEmpty());
        long t0 = System.nanoTime();
        assertEquals(Optional.empty(), m.lookup(TENANT, "test", "t_hash"));
        assertTrue(System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(100));
        assertTrue(m.tenantServers(TENANT).isEmpty());
    }

    @Test
    public void configServerThenGarbageThenDownUsesTheCachedRslist() throws Exception {
        AtomicReference<String> answer = new AtomicReference<>();
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/services", ex -> {
            byte[] b = answer.get().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        http.start();
        Path data = Files.createTempDirectory("junction-metadata-cs");
        try {
            String goodJson = "{\"Code\":200,\"Message\":\"successful\",\"Data\":{\"ObRegion\":\"cs1\",\"ObRegionId\":1,"
                    + "\"RsList\":[{\"address\":\"127.0.0.1:2882\",\"role\":\"LEADER\",\"sql_port\":" + rs + "}]}}";
            answer.set(goodJson);
            Map<String, Object> p = props("cs1", "oceanbase", "");
            p.remove("metadata.rslist");
            p.put("metadata.source", "config_server");
            p.put("metadata.config_server_url", "http://127.0.0.1:" + http.getAddress().getPort()
                    + "/services?Action=ObRootServiceInfo&ObRegion={cluster}");
            MetadataCache m = start(p, data);
            await("topology", () -> !m.topology().isEmpty());
            ConfigServerSource src = (ConfigServerSource) m.source();
            assertEquals(List.of(new ServerAddress("127.0.0.1", rs)), src.rslist());
            assertEquals(data.resolve("metadata").resolve("cs1.rslist.json"), src.cacheFile());
            await("cache file", () -> Files.isRegularFile(src.cacheFile()));
            assertEquals(goodJson, Files.readString(src.cacheFile()));
            assertEquals("config_server", m.topology().source());

            answer.set("<html>oops</html>");
            await("garbage noticed", () -> m.problems().has("config_server"));
            long before = m.status().lastSuccessMillis();
            await("polls go on", () -> m.status().lastSuccessMillis() > before);
            assertEquals(goodJson, Files.readString(src.cacheFile()));
            answer.set("{\"Code\":200,\"Data\":{\"ObRegion\":\"other\",\"RsList\":[]}}");
            answer.set(goodJson);
            await("recovered", () -> !m.problems().has("config_server"));
            m.close();

            http.stop(0);
            // a restart while the config server is down starts from the cached answer
            MetadataCache again = start(p, data);
            await("topology from the cached rslist", () -> !again.topology().isEmpty());
            assertTrue(again.problems().has("config_server"));
            assertEquals(List.of(new ServerAddress("127.0.0.1", rs)), ((ConfigServerSource) again.source()).rslist());
            TableRoute r = awaitRoute(again, "t_single");
            assertEquals(addr(0), r.leader(0).orElseThrow().server());
        } finally {
            http.stop(0);
        }
    }

    @Test
    public void configServerAnswerFormats() throws Exception {
        String list = "{\"Code\":200,\"Data\":[{\"ObRegion\":\"a\",\"RsList\":[{\"address\":\"10.0.0.1:2882\"}]},"
                + "{\"ObRegion\":\"B\",\"RsList\":[{\"address\":\"10.0.0.2:2882\",\"sql_port\":2881},"
                + "{\"address\":\"[::1]:2882\",\"sql_port\":2883}]}]}";
        assertEquals(List.of(new ServerAddress("10.0.0.2", 2881), new ServerAddress("::1", 2883)),
                ConfigServerSource.parse(list, "b"));
        assertEquals(List.of(new ServerAddress("10.0.0.1", 2882)), ConfigServerSource.parse(list, "a"));
        for (String bad : List.of("", "[]", "{\"Code\":500,\"Message\":\"down\"}", "{\"Data\":{\"RsList\":[]}}",
                "{\"Data\":{\"ObRegion\":\"x\",\"RsList\":[{\"address\":\"1.2.3.4:1\"}]}}",
                "{\"Data\":{\"RsList\":[{\"address\":\"nope\"}]}}", "{\"Data\":{\"RsList\":[{\"address\":\"1.2.3.4:1\","
                        + "\"sql_port\":\"x\"}]}}", "{\"Data\":{\"RsList\":[{\"address\":\"1.2.3.4:1\"}]}} trailing",
                "{\"Data\":" + "[".repeat(100) + "]".repeat(100) + "}")) {
            try {
                ConfigServerSource.parse(bad, "a");
                throw new AssertionError("accepted: " + bad);
            } catch (MetadataException expected) {
                // refused
            }
        }
    }
}
