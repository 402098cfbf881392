package dev.junction.core.routing;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.junction.api.routing.RouteDecision;
import dev.junction.api.routing.RoutingPolicy;
import dev.junction.api.statement.StatementInfo;
import dev.junction.api.statement.StatementType;
import dev.junction.api.topology.ServerAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/** Snapshots, the stand-in analysis and the not-executed list, without servers. */
public class RoutingUnitTest {

    @Test
    public void snapshotsAreOrderedByRankingThenServiceIdAndSwappedWhole() {
        RankedServices<RoutingPolicy> s = new RankedServices<>();
        assertTrue(s.isEmpty());
        RoutingPolicy a = r -> RouteDecision.abstain();
        RoutingPolicy b = r -> RouteDecision.abstain();
        RoutingPolicy c = r -> RouteDecision.abstain();
        s.add(a, "a", 10, 5);
        s.add(b, "b", 100, 7);
        s.add(c, "c", 10, 3);
        RankedServices.Entry<RoutingPolicy>[] before = s.snapshot();
        assertEquals(List.of("b", "c", "a"), names(before));
        s.add(a, "a", 1000, 5); // re-ranked
        assertEquals(List.of("a", "b", "c"), names(s.snapshot()));
        assertEquals("an old snapshot never changes", List.of("b", "c", "a"), names(before));
        assertTrue(s.remove(b));
        assertFalse(s.remove(b));
        assertEquals(List.of("a", "c"), names(s.snapshot()));
    }

    private static List<String> names(RankedServices.Entry<?>[] entries) {
        List<String> out = new ArrayList<>();
        for (RankedServices.Entry<?> e : entries) {
            out.add(e.name());
        }
        return out;
    }

    @Test
    public void theDefaultAnalysisReadsTypesAndHints() {
        StatementAnalysis a = new RoutingPipeline(new RoutingServices())::analyze;
        StatementInfo pinned = a.analyze("/* target_db_server='10.0.0.1:2881' */ SELECT * FROM t");
        assertEquals(StatementType.SELECT, pinned.type());
        assertEquals(new ServerAddress("10.0.0.1", 2881), pinned.targetServer().orElseThrow());
        StatementInfo weak = a.analyze("SELECT /*+ READ_CONSISTENCY(WEAK) QUERY_TIMEOUT(5000000) */ 1");
        assertTrue(weak.weakReadHint());
        assertEquals(5_000_000L, weak.queryTimeoutMicros().getAsLong());
        assertEquals(StatementType.INSERT, a.analyze("  -- note\n insert into t values (1)").type());
        assertEquals(StatementType.DDL, a.analyze("CREATE TABLE t (a int)").type());
        assertEquals(StatementType.CALL, a.analyze("call p()").type());
        assertTrue(a.analyze("/* target_db_server='nonsense' */ select 1").targetServer().isEmpty());
        assertFalse(a.analyze("SELECT '" + "x".repeat(5000) + "'").parsed());
    }

    @Test
    public void onlyRefusalsThatProveNothingRanAreResent() {
        for (int code : new int[] {4038, 5150, 8001, 8002}) {
            assertTrue(Integer.toString(code), NotExecuted.isNotExecuted(code));
        }
        for (int code : new int[] {1927, 1205, 1213, 1053, 2013, 1290, 1062}) {
            assertFalse(Integer.toString(code), NotExecuted.isNotExecuted(code));
        }
    }
}
