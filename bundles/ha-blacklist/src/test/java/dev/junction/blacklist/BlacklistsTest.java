package dev.junction.blacklist;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import dev.junction.api.admin.AdminCommandException;
import dev.junction.api.admin.AdminTable;
import dev.junction.api.health.FailureKind;
import dev.junction.api.health.Verdict;
import dev.junction.api.topology.Replica;
import dev.junction.api.topology.ReplicaRole;
import dev.junction.api.topology.ReplicaType;
import dev.junction.api.topology.ServerAddress;
import dev.junction.api.topology.ServerState;
import dev.junction.api.topology.Zone;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** The blacklists' rules on hand-built replicas with a clock the test moves. */
public class BlacklistsTest {

    private static final long S = 1_000_000_000L;
    private static final ServerAddress A = new ServerAddress("127.0.0.1", 3301);
    private static final Zone Z = new Zone("z1", "r1", "idc1", false, false);

    private long now = 1_000 * S;
    private final Blacklists lists = new Blacklists(() -> now);

    private static Replica replica(ServerState s) {
        return new Replica(A, Z, ReplicaRole.NONE, ReplicaType.FULL, s);
    }

    private Verdict.Kind verdict() {
        return lists.check(replica(ServerState.ACTIVE)).kind();
    }

    @Test
    public void aBadMetadataStateIsHeldTheMinimumTimeBeforeRelease() {
        lists.observe("c", replica(ServerState.ACTIVE));
        assertEquals(Verdict.Kind.ALLOW, verdict());
        for (ServerState bad : List.of(ServerState.INACTIVE, ServerState.REPLAY, ServerState.UPGRADE,
                ServerState.DELETING, ServerState.DELETED)) {
            lists.observe("c", replica(bad));
            assertEquals(bad.toString(), Verdict.Kind.VETO, verdict());
            lists.remove(A);
        }
        lists.observe("c", replica(ServerState.INACTIVE));
        now += 19 * S;
        lists.observe("c", replica(ServerState.ACTIVE));
        assertEquals("held 19 s of 20", Verdict.Kind.VETO, verdict());
        now += S;
        lists.observe("c", replica(ServerState.ACTIVE));
        assertEquals(Verdict.Kind.ALLOW, verdict());
    }

    @Test
    public void aCandidateInABadStateIsVetoedBeforeThePollSeesIt() {
        assertEquals(Verdict.Kind.VETO, lists.check(replica(ServerState.INACTIVE)).kind());
        lists.observe("c", replica(ServerState.ACTIVE));
        assertEquals(Verdict.Kind.VETO, lists.check(replica(ServerState.REPLAY)).kind());
    }

    @Test
    public void consecutiveProbeFailuresMakeADeadServerAndOneSuccessRevivesIt() {
        assertFalse(lists.probeFailed(A, "timeout"));
        assertFalse(lists.probeFailed(A, "timeout"));
        lists.probeSucceeded(A);
        assertFalse("the success reset the count", lists.probeFailed(A, "timeout"));
        assertFalse(lists.probeFailed(A, "timeout"));
        assertEquals(Verdict.Kind.ALLOW, verdict());
        assertTrue("third in a row", lists.probeFailed(A, "refused"));
        assertFalse("reported once", lists.probeFailed(A, "refused"));
        Verdict v = lists.check(replica(ServerState.ACTIVE));
        assertEquals(Verdict.Kind.VETO, v.kind());
        assertTrue(v.reason(), v.reason().contains("DETECT_DEAD") && v.reason().contains("refused"));
        lists.probeSucceeded(A);
        assertEquals(Verdict.Kind.ALLOW, verdict());
    }

    @Test
    public void trafficFailuresInTheWindowBlacklistAndATrialWhitewashes() {
        for (int i = 0; i < 4; i++) {
            lists.failure(A, FailureKind.CONNECT_ERROR, "refused");
            now += 25 * S;
        }
        // 4 failures within 75 s; at 140 s the first is out of the 120 s window
        now += 40 * S;
        lists.failure(A, FailureKind.TIMEOUT, "silent");
        assertEquals("the first failure is 140 s old", Verdict.Kind.ALLOW, verdict());
        lists.failure(A, FailureKind.SERVER_UNAVAILABLE, "server is initializing");
        assertEquals(Verdict.Kind.VETO, verdict());
        lists.failure(A, FailureKind.LOCATION_CHANGED, "not leader"); // not a health failure
        now += 19 * S;
        assertEquals(Verdict.Kind.VETO, verdict());
        now += S;
        assertEquals("the trial statement", Verdict.Kind.ALLOW, verdict());
        assertEquals("only one", Verdict.Kind.VETO, verdict());
        lists.failure(A, FailureKind.CONNECTION_RESET, "reset"); // the trial failed: wait again
        now += 10 * S;
        assertEquals(Verdict.Kind.VETO, verdict());
        now += 10 * S;
        assertEquals(Verdict.Kind.ALLOW, verdict());
        lists.success(A);
        assertEquals("whitewashed", Verdict.Kind.ALLOW, verdict());
        assertEquals(Verdict.Kind.ALLOW, verdict());
        assertEquals(0, lists.rows().get(0).trafficFailures());
    }

    @Test
    public void aServerInTwoListsGetsNoTrialAndARevivalClearsTrafficFailures() {
        for (int i = 0; i < 5; i++) {
            lists.failure(A, FailureKind.CONNECT_ERROR, "refused");
        }
        for (int i = 0; i < 3; i++) {
            lists.probeFailed(A, "refused");
        }
        now += 60 * S;
        assertEquals("dead: no trial", Verdict.Kind.VETO, verdict());
        lists.success(A); // a bound session's statement: whitewashes only the unavailable list
        assertEquals(Verdict.Kind.VETO, verdict());
        lists.probeSucceeded(A);
        assertEquals(Verdict.Kind.ALLOW, verdict());
        for (int i = 0; i < 5; i++) {
            lists.failure(A, FailureKind.CONNECT_ERROR, "refused");
        }
        for (int i = 0; i < 3; i++) {
            lists.probeFailed(A, "refused");
        }
        lists.probeSucceeded(A);
        assertEquals("the restart cleared the traffic failures of the outage", Verdict.Kind.ALLOW, verdict());
    }

    @Test
    public void detectModeUsedProbesServersWithRecentTrafficAndDeadOnes() throws Exception {
        lists.config(BlacklistConfig.parse(Map.of("detect_mode", "used", "detect_recent", "60s")));
        lists.observe("c", replica(ServerState.ACTIVE));
        assertFalse("no traffic yet", lists.recentlyUsed(A));
        lists.success(A);
        assertTrue(lists.recentlyUsed(A));
        now += 61 * S;
        assertFalse(lists.recentlyUsed(A));
        lists.failure(A, FailureKind.TIMEOUT, "silent");
        assertTrue("a failure is traffic too", lists.recentlyUsed(A));
        now += 61 * S;
        for (int i = 0; i < 3; i++) {
            lists.probeFailed(A, "refused");
        }
        assertTrue("a dead server is probed until it answers", lists.recentlyUsed(A));
    }

    @Test
    public void theCommandListsAddsAndRemovesWithTheVerdictCongestionShows() throws Exception {
        BlacklistCommand cmd = new BlacklistCommand(lists);
        lists.observe("demo", replica(ServerState.ACTIVE));
        AdminTable t = cmd.execute(List.of());
        assertEquals(BlacklistCommand.COLUMNS, t.columns());
        assertEquals(List.of("127.0.0.1:3301", "demo", "z1", "-", "-", "-", "DETECT_ALIVE", "0", "0", "allow"),
                t.rows().get(0));
        assertTrue(cmd.execute(List.of("add", "127.0.0.1:3301", "maintenance", "window")).message().contains("maintenance window"));
        List<String> row = cmd.execute(List.of()).rows().get(0);
        assertEquals("manual", row.get(3));
        assertEquals(lists.check(replica(ServerState.ACTIVE)).toString(), row.get(9));
        assertTrue(row.get(9), row.get(9).startsWith("veto (manual: maintenance window since "));
        assertTrue(cmd.execute(List.of("remove", "127.0.0.1:3301")).message().contains("removed from: manual"));
        assertEquals(Verdict.Kind.ALLOW, verdict());
        for (List<String> bad : List.of(List.of("add"), List.of("drop", "127.0.0.1:1"), List.of("add", "nohost"))) {
            try {
                cmd.execute(bad);
                fail("accepted " + bad);
            } catch (AdminCommandException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("usage"));
            }
        }
    }

    /** The shipped etc/dev.junction.blacklist.cfg is valid and states exactly the defaults. */
    @Test
    public void theShippedFileHoldsTheDefaults() throws Exception {
        java.nio.file.Path file = java.nio.file.Paths.get("../../distribution/src/main/dist/etc/dev.junction.blacklist.cfg");
        Map<String, String> props = new java.util.HashMap<>();
        for (String line : java.nio.file.Files.readAllLines(file)) {
            String l = line.trim();
            if (!l.isEmpty() && !l.startsWith("#")) {
                int eq = l.indexOf('=');
                props.put(l.substring(0, eq).trim(), l.substring(eq + 1).trim());
            }
        }
        assertEquals(10, props.size());
        BlacklistConfig shipped = BlacklistConfig.parse(props);
        BlacklistConfig d = BlacklistConfig.DEFAULTS;
        assertEquals(d.stateMinHoldMillis, shipped.stateMinHoldMillis);
        assertEquals(d.detectMode, shipped.detectMode);
        assertEquals(d.detectIntervalMillis, shipped.detectIntervalMillis);
        assertEquals(d.detectTimeoutMillis, shipped.detectTimeoutMillis);
        assertEquals(d.detectFailures, shipped.detectFailures);
        assertEquals(d.detectSql, shipped.detectSql);
        assertEquals(d.detectRecentMillis, shipped.detectRecentMillis);
        assertEquals(d.unavailableFailures, shipped.unavailableFailures);
        assertEquals(d.unavailableWindowMillis, shipped.unavailableWindowMillis);
        assertEquals(d.unavailableRetryMillis, shipped.unavailableRetryMillis);
    }

    @Test
    public void aBadConfigurationIsRefusedWholeNamingFileAndKey() throws Exception {
        BlacklistConfig c = BlacklistConfig.parse(Map.of());
        assertEquals(20_000, c.stateMinHoldMillis);
        assertEquals(5_000, c.detectTimeoutMillis);
        assertEquals(3, c.detectFailures);
        assertEquals("select 'detect server alive' from dual", c.detectSql);
        assertEquals(5, c.unavailableFailures);
        assertEquals(120_000, c.unavailableWindowMillis);
        assertEquals(20_000, c.unavailableRetryMillis);
        assertEquals(BlacklistConfig.DetectMode.USED, BlacklistConfig.parse(Map.of("detect_mode", "used")).detectMode);
        for (Map<String, String> bad : List.of(Map.of("detect_timeout", "5 parsecs"), Map.of("detect_failures", "0"),
                Map.of("detect_mode", "some"), Map.of("unavailable_window", "10ms"), Map.of("detect_intervall", "1s"))) {
            try {
                BlacklistConfig.parse(bad);
                fail("accepted " + bad);
            } catch (BlacklistConfig.Invalid e) {
                String key = bad.keySet().iterator().next();
                assertTrue(e.getMessage(), e.getMessage().startsWith("etc/dev.junction.blacklist.cfg: ")
                        && e.getMessage().contains(key));
            }
        }
        BlacklistDisasterCheck check = new BlacklistDisasterCheck(null);
        assertNotNull(check.configure(Map.of("detect_failures", "x")));
        assertEquals("the old settings stay", 3, check.lists().config().detectFailures);
        assertEquals(null, check.configure(Map.of("detect_failures", "4", "felix.fileinstall.filename", "f")));
        assertEquals(4, check.lists().config().detectFailures);
        // what DS really hands over: the file's keys plus the component's own properties
        assertEquals(null, check.configure(Map.of("detect_failures", "5", "junction.check.name", "blacklist",
                "component.name", "dev.junction.blacklist.BlacklistDisasterCheck", "component.id", 7L,
                "service.pid", "dev.junction.blacklist")));
        assertEquals(5, check.lists().config().detectFailures);
        check.stop();
    }
}
