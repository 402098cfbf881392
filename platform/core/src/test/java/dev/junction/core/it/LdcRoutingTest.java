package dev.junction.core.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import dev.junction.api.health.DisasterCheck;
import dev.junction.api.health.FailureKind;
import dev.junction.api.health.Verdict;
import dev.junction.api.routing.RouteDecision;
import dev.junction.api.routing.RoutingPolicy;
import dev.junction.api.topology.Replica;
import dev.junction.api.topology.ServerAddress;
import dev.junction.core.metadata.ClusterMetadata;
import dev.junction.core.metadata.EmulatedOceanBase;
import dev.junction.core.metadata.MetadataService;
import dev.junction.core.metadata.TenantDirectoryService;
import dev.junction.core.routing.MetadataRouting;
import dev.junction.core.routing.WeakReadUsers;
import dev.junction.ldc.LdcRoutingPolicy;
import dev.junction.primaryzone.PrimaryZoneRoutingPolicy;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The routing-ldc and routing-primaryzone policies on a live proxy over three real MariaDB servers in zones z1
 * (hangzhou, IDC hz1), z2 (hangzhou, hz2) and z3 (shanghai, sh1), whose OceanBase metadata is emulated on the third
 * one: table {@code test.t_ldc} is led from z1 and followed in z2 and z3; tenant {@code app} has primary zone
 * {@code z1;z2,z3}. The proxy is in IDC hz2 unless a test says otherwise. Each server's rows name the server, so a
 * result shows who answered.
 */
public class LdcRoutingTest {

    private static final String WEAK = "SELECT /*+ READ_CONSISTENCY(WEAK) */ server FROM test.t_ldc WHERE id = 1";
    private static final String STRONG_NO_LOCATION = "SELECT port FROM test.whoami";
    private static JunctionFixture junction;
    private static int[] ports;
    private static int rs;
    private static MetadataService metadata;
    private static MetadataRouting wiring;
    private LdcRoutingPolicy ldc;
    private PrimaryZoneRoutingPolicy primaryZone;
    private final List<Runnable> cleanup = new ArrayList<>();

    @BeforeClass
    public static void up() throws Exception {
        junction = JunctionFixture.start(Map.of());
        rs = TestDatabases.startAnother();
        ports = new int[] {junction.dbPorts.get(0), junction.dbPorts.get(1), rs};
        on(rs, EmulatedOceanBase.schema("oceanbase").toArray(new String[0]));
        on(rs, "INSERT INTO oceanbase.__all_virtual_zone_stat VALUES ('z1', 0, 'ACTIVE', 'hangzhou', 'hz1', 'ReadWrite'),"
                        + " ('z2', 0, 'ACTIVE', 'hangzhou', 'hz2', 'ReadWrite'), ('z3', 0, 'ACTIVE', 'shanghai', 'sh1', 'ReadWrite')",
                "INSERT INTO oceanbase.__all_virtual_proxy_server_stat VALUES (" + server(0) + ", 'z1', 'active', 1663664600100327, 0),"
                        + " (" + server(1) + ", 'z2', 'active', 1663664600100327, 0), (" + server(2) + ", 'z3', 'active', 1663664600100327, 0)",
                "INSERT INTO oceanbase.__all_tenant VALUES ('sys', 'z1', 'FULL{1}@z1'),"
                        + " ('app', 'z1;z2,z3', 'FULL{1}@z1, FULL{1}@z2, FULL{1}@z3'), ('meta', 'z3', 'FULL{1}@z3')",
                "INSERT INTO oceanbase.__all_virtual_proxy_schema VALUES ('sys', 'oceanbase', '__all_dummy', 0, " + server(0)
                        + ", 1, 1, 1, 1, 0)",
                "INSERT INTO oceanbase.__all_virtual_proxy_schema VALUES ('app', 'test', 't_ldc', 0, " + server(0)
                        + ", 3001, 1, 1, 3, 0), ('app', 'test', 't_ldc', 0, " + server(1) + ", 3001, 2, 1, 3, 0),"
                        + " ('app', 'test', 't_ldc', 0, " + server(2) + ", 3001, 2, 1, 3, 0)");
        for (int p : ports) {
            on(p, "DROP TABLE IF EXISTS test.t_ldc", "CREATE TABLE test.t_ldc (id INT PRIMARY KEY, server INT)",
                    "INSERT INTO test.t_ldc VALUES (1, " + p + ")");
        }
        metadata = new MetadataService();
        Map<String, Object> cluster = new HashMap<>();
        cluster.put("name", "demo");
        cluster.put("metadata.source", "oceanbase");
        cluster.put("metadata.rslist", "127.0.0.1:" + rs);
        cluster.put("metadata.user", TestDatabases.USER);
        cluster.put("metadata.password", TestDatabases.PASSWORD);
        cluster.put("metadata.refresh_interval", "200ms");
        metadata.start(cluster, Files.createTempDirectory("junction-ldc-routing"));
        wiring = new MetadataRouting(metadata, junction.routing, junction.admin, junction.clusters);
        await("topology", () -> !meta().topology().isEmpty() && !meta().primaryZone("app").isEmpty());
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

    @Before
    public void register() {
        ldc = new LdcRoutingPolicy(null);
        assertNull(ldc.configure(Map.of("proxy_idc_name", "hz2")));
        primaryZone = new PrimaryZoneRoutingPolicy(new TenantDirectoryService(metadata), Map.of());
        policy("primary-zone", 200, primaryZone);
        policy("ldc", 100, ldc);
    }

    @After
    public void unregister() {
        for (Runnable r : cleanup) {
            r.run();
        }
        cleanup.clear();
        junction.routing.weakReadUsers(WeakReadUsers.NONE);
    }

    private void policy(String name, int ranking, RoutingPolicy p) {
        junction.services.policies().add(p, name, ranking, -1);
        cleanup.add(() -> junction.services.policies().remove(p));
    }

    private static ClusterMetadata meta() {
        return metadata.find("demo");
    }

    private static String server(int i) {
        return "'127.0.0.1', " + ports[i];
    }

    private static void on(int port, String... sql) throws Exception {
        try (Connection c = DriverManager.getConnection(TestDatabases.mariadbUrl(port, ""));
                Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
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

    private static Set<Integer> answers(Statement s, String sql, int times) throws SQLException {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < times; i++) {
            try (ResultSet rs = s.executeQuery(sql)) {
                assertTrue(rs.next());
                seen.add(rs.getInt(1));
            }
        }
        return seen;
    }

    /** The route cache knows t_ldc (the first statement fetches it; until then it is routed without location). */
    private static void awaitLocated() throws Exception {
        try (Connection c = DriverManager.getConnection(junction.mariadbUrl("")); Statement s = c.createStatement()) {
            s.executeQuery("SELECT server FROM test.t_ldc WHERE id = 1").close();
        }
        await("t_ldc located", () -> meta().lookup("app", "test", "t_ldc").map(r -> r.exists()).orElse(false));
    }

    @Test
    public void weakReadsLandOnTheSameIdcFollower() throws Exception {
        awaitLocated();
        try (Connection c = DriverManager.getConnection(junction.mariadbUrl("")); Statement s = c.createStatement()) {
            assertEquals("hint", Set.of(ports[1]), answers(s, WEAK, 20));
            // strong reads still go to the leader in z1
            assertEquals(Set.of(ports[0]), answers(s, "SELECT server FROM test.t_ldc WHERE id = 1", 10));
            // the session variable (as a user variable: MariaDB does not know OceanBase's system variable)
            s.execute("SET @ob_read_consistency = 'weak'");
            assertEquals("session", Set.of(ports[1]), answers(s, "SELECT server FROM test.t_ldc WHERE id = 1", 20));
            // the session moves to Shanghai: its IDC is sh1
            s.execute("SET @proxy_idc_name = 'sh1'");
            assertEquals("session IDC", Set.of(ports[2]), answers(s, WEAK, 20));
        }
    }

    @Test
    public void aUserListedInWeakReadUsersReadsWeaklyByDefaultAndAHintMakesItStrong() throws Exception {
        awaitLocated();
        junction.routing.weakReadUsers(WeakReadUsers.parse(Map.of("weak_read_users", "report, app@app"), "test"));
        try (Connection c = DriverManager.getConnection(junction.mariadbUrl("")); Statement s = c.createStatement()) {
            assertEquals(Set.of(ports[1]), answers(s, "SELECT server FROM test.t_ldc WHERE id = 1", 20));
            assertEquals(Set.of(ports[0]),
                    answers(s, "SELECT /*+ READ_CONSISTENCY(STRONG) */ server FROM test.t_ldc WHERE id = 1", 10));
            s.execute("SET @ob_read_consistency = 'strong'");
            assertEquals(Set.of(ports[0]), answers(s, "SELECT server FROM test.t_ldc WHERE id = 1", 10));
        }
        junction.routing.weakReadUsers(WeakReadUsers.parse(Map.of("weak_read_users", "report"), "test"));
        try (Connection c = DriverManager.getConnection(junction.mariadbUrl("")); Statement s = c.createStatement()) {
            assertEquals("app is not listed any more", Set.of(ports[0]),
                    answers(s, "SELECT server FROM test.t_ldc WHERE id = 1", 10));
        }
    }

    @Test
    public void routePoliciesFromConfigAndSession() throws Exception {
        awaitLocated();
        assertNull(ldc.configure(Map.of("proxy_idc_name", "hz1")));
        try (Connection c = DriverManager.getConnection(junction.mariadbUrl("")); Statement s = c.createStatement()) {
            assertEquals("MERGE_IDC_ORDER: the leader is in hz1", Set.of(ports[0]), answers(s, WEAK, 10));
            s.execute("SET @proxy_route_policy = 'FOLLOWER_FIRST'");
            assertEquals("FOLLOWER_FIRST: the same-region follower", Set.of(ports[1]), answers(s, WEAK, 10));
        }
        assertNull(ldc.configure(Map.of("proxy_idc_name", "hz1", "proxy_route_policy", "FOLLOWER_ONLY")));
        try (Connection c = DriverManager.getConnection(junction.mariadbUrl("")); Statement s = c.createStatement()) {
            assertEquals(Set.of(ports[1]), answers(s, WEAK, 10));
        }
    }

    @Test
    public void withTheSameIdcServerBlacklistedTheNextClassServes() throws Exception {
        awaitLocated();
        ServerAddress hz2 = new ServerAddress("127.0.0.1", ports[1]);
        DisasterCheck blacklist = new DisasterCheck() {
            @Override
            public Verdict check(Replica replica) {
                return replica.server().equals(hz2) ? Verdict.veto("blacklisted by the test") : Verdict.allow();
            }

            @Override
            public void onSuccess(ServerAddress server) {
            }

            @Override
            public void onFailure(ServerAddress server, FailureKind kind, String detail) {
            }
        };
        junction.services.checks().add(blacklist, "blacklist", 0, -1);
        cleanup.add(() -> junction.services.checks().remove(blacklist));
        try (Connection c = DriverManager.getConnection(junction.mariadbUrl("")); Statement s = c.createStatement()) {
            // next class after the same IDC: the same region (z1 hz1, the leader), not Shanghai
            assertEquals(Set.of(ports[0]), answers(s, WEAK, 20));
            s.execute("SET @proxy_route_policy = 'FOLLOWER_FIRST'");
            // followers first: the other follower, in Shanghai
            assertEquals(Set.of(ports[2]), answers(s, WEAK, 20));
        }
    }

    @Test
    public void strongReadsWithUnknownLocationLandInTheTenantsPrimaryZone() throws Exception {
        try (Connection c = DriverManager.getConnection(junction.mariadbUrl("")); Statement s = c.createStatement()) {
            assertEquals("metadata primary zone z1;z2,z3", Set.of(ports[0]), answers(s, STRONG_NO_LOCATION, 20));
            // weak reads without location: LDC from hz2
            assertEquals(Set.of(ports[1]), answers(s, "SELECT /*+ READ_CONSISTENCY(WEAK) */ port FROM test.whoami", 20));
        }
        assertNull(primaryZone.configure(Map.of("tenant.app.primary_zone", "z3;z1")));
        try (Connection c = DriverManager.getConnection(junction.mariadbUrl("")); Statement s = c.createStatement()) {
            assertEquals("config per tenant", Set.of(ports[2]), answers(s, STRONG_NO_LOCATION, 20));
        }
        assertNull(primaryZone.configure(Map.of("tenant.app.primary_zone", "z3;z1", "primary_zone", "z2")));
        try (Connection c = DriverManager.getConnection(junction.mariadbUrl("")); Statement s = c.createStatement()) {
            assertEquals("global override", Set.of(ports[1]), answers(s, STRONG_NO_LOCATION, 20));
        }
        assertNull(primaryZone.configure(Map.of("tenant.app.enabled", "false")));
        try (Connection c = DriverManager.getConnection(junction.mariadbUrl("")); Statement s = c.createStatement()) {
            assertEquals("off for the tenant: LDC from hz2", Set.of(ports[1]), answers(s, STRONG_NO_LOCATION, 20));
        }
    }

    @Test
    public void explainRouteNamesThePolicyAndTheClassOfEachCandidate() throws Exception {
        awaitLocated();
        String weak = junction.admin.explainRoute(WEAK, null).text();
        assertTrue(weak, weak.contains("policy primary-zone (ranking 200): abstained"));
        assertTrue(weak, weak.contains("policy ldc (ranking 100) decided: weak read, MERGE_IDC_ORDER (config),"
                + " proxy IDC hz2 (config), region hangzhou:"));
        assertTrue(weak, weak.contains("127.0.0.1:" + ports[1] + " follower PARTITION_UNMERGE_LOCAL"));
        assertTrue(weak, weak.contains("127.0.0.1:" + ports[0] + " leader PARTITION_UNMERGE_REGION"));
        assertTrue(weak, weak.contains("127.0.0.1:" + ports[2] + " follower PARTITION_UNMERGE_REMOTE"));
        String strong = junction.admin.explainRoute(STRONG_NO_LOCATION, null).text();
        assertTrue(strong, strong.contains("policy primary-zone (ranking 200) decided: primary zone z1;z2,z3 of tenant app"
                + " (metadata): z1 [127.0.0.1:" + ports[0] + "]"));
    }

    @Test
    public void badInputFallsBackToTheCoreDefaultAndNothingElseBreaks() throws Exception {
        awaitLocated();
        // an unknown route policy in the session: the LDC policy abstains, the core's default serves (spread)
        try (Connection c = DriverManager.getConnection(junction.mariadbUrl("")); Statement s = c.createStatement()) {
            s.execute("SET @proxy_route_policy = 'NEAREST'");
            Set<Integer> seen = answers(s, WEAK, 30);
            assertTrue("default order spreads weak reads " + seen, seen.size() >= 2);
        }
        // refused configurations keep the old settings
        assertTrue(ldc.configure(Map.of("proxy_route_policy", "NEAREST")).contains("proxy_route_policy"));
        assertTrue(primaryZone.configure(Map.of("primary_zone", "z1;;z2")).contains("primary_zone"));
        try (Connection c = DriverManager.getConnection(junction.mariadbUrl("")); Statement s = c.createStatement()) {
            assertEquals(Set.of(ports[1]), answers(s, WEAK, 10));
            assertEquals(Set.of(ports[0]), answers(s, STRONG_NO_LOCATION, 10));
        }
        // a malformed primary zone in the metadata: the core's default order (spread), no error
        on(rs, "UPDATE oceanbase.__all_tenant SET primary_zone = 'z1;;z2' WHERE tenant_name = 'app'");
        try {
            await("new primary zone", () -> meta().primaryZone("app").equals("z1;;z2"));
            try (Connection c = DriverManager.getConnection(junction.mariadbUrl("")); Statement s = c.createStatement()) {
                // primary zone abstains; LDC orders the strong table-less read from hz2
                assertEquals(Set.of(ports[1]), answers(s, STRONG_NO_LOCATION, 10));
            }
        } finally {
            on(rs, "UPDATE oceanbase.__all_tenant SET primary_zone = 'z1;z2,z3' WHERE tenant_name = 'app'");
            await("primary zone restored", () -> meta().primaryZone("app").equals("z1;z2,z3"));
        }
        // a custom policy that throws or is too slow, ranked above both: skipped, the others decide
        policy("thrower", 400, req -> {
            throw new IllegalStateException("bug in a custom policy");
        });
        policy("sleeper", 300, req -> {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return RouteDecision.prefer(req.candidates().subList(2, 3), "too late");
        });
        try (Connection c = DriverManager.getConnection(junction.mariadbUrl("")); Statement s = c.createStatement()) {
            assertEquals(Set.of(ports[1]), answers(s, WEAK, 10));
            assertEquals(Set.of(ports[0]), answers(s, STRONG_NO_LOCATION, 10));
        }
        String explain = junction.admin.explainRoute(WEAK, null).text();
        assertTrue(explain, explain.contains("policy thrower (ranking 400): threw"));
        assertTrue(explain, explain.contains("over budget; skipped"));
    }
}
