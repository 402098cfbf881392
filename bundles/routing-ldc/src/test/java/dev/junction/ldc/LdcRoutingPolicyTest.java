package dev.junction.ldc;

import static dev.junction.ldc.Fakes.replica;
import static dev.junction.ldc.Fakes.statement;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import dev.junction.api.routing.RouteDecision;
import dev.junction.api.routing.RouteRequest;
import dev.junction.api.statement.StatementType;
import dev.junction.api.topology.Replica;
import dev.junction.api.topology.ReplicaRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** The LDC policy's ordering on hand-built candidates (the live behaviour is tested in the core's LdcRoutingTest). */
public class LdcRoutingPolicyTest {

    // z1 hz1 hangzhou (leader), z2 hz2 hangzhou, z3 sh1 shanghai, z4 hz1 hangzhou merging
    private final Replica leaderHz1 = replica(1, "z1", "hangzhou", "hz1", ReplicaRole.LEADER, false);
    private final Replica followerHz2 = replica(2, "z2", "hangzhou", "hz2", ReplicaRole.FOLLOWER, false);
    private final Replica followerSh1 = replica(3, "z3", "shanghai", "sh1", ReplicaRole.FOLLOWER, false);
    private final Replica followerHz1Merging = replica(4, "z4", "hangzhou", "hz1", ReplicaRole.FOLLOWER, true);
    private final List<Replica> partition = List.of(followerSh1, leaderHz1, followerHz2, followerHz1Merging);

    private static LdcRoutingPolicy policy(String... kv) {
        LdcRoutingPolicy p = new LdcRoutingPolicy(null);
        Map<String, Object> props = new java.util.HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            props.put(kv[i], kv[i + 1]);
        }
        assertNull(p.configure(props));
        return p;
    }

    private static List<Integer> ports(RouteDecision d) {
        List<Integer> out = new ArrayList<>();
        for (Replica r : d.preference()) {
            out.add(r.server().port());
        }
        return out;
    }

    private static RouteRequest weak(List<Replica> candidates, Fakes.Session s) {
        return new RouteRequest(statement(StatementType.SELECT), s, candidates, true);
    }

    @Test
    public void mergeIdcOrderPutsSameIdcThenRegionThenOtherRegionsAndMergingZonesLater() {
        RouteDecision d = policy("proxy_idc_name", "hz1").route(weak(partition, new Fakes.Session()));
        // unmerged same IDC (the leader), unmerged same region, merging same IDC, then Shanghai
        assertEquals(List.of(1, 2, 4, 3), ports(d));
        assertTrue(d.reason(), d.reason().contains("PARTITION_UNMERGE_LOCAL") && d.reason().contains("proxy IDC hz1"));
    }

    @Test
    public void followerFirstPoliciesAndFollowerOnly() {
        Fakes.Session s = new Fakes.Session();
        assertEquals(List.of(2, 4, 3, 1), ports(policy("proxy_idc_name", "hz1", "proxy_route_policy", "FOLLOWER_FIRST")
                .route(weak(partition, s))));
        assertEquals(List.of(2, 3, 1, 4), ports(policy("proxy_idc_name", "hz1", "proxy_route_policy",
                "UNMERGE_FOLLOWER_FIRST").route(weak(partition, s))));
        RouteDecision only = policy("proxy_idc_name", "hz1", "proxy_route_policy", "FOLLOWER_ONLY").route(weak(partition, s));
        assertEquals(List.of(2, 4, 3), ports(only));
        assertTrue("the leader is never tried", only.exclusive());
        assertTrue(only.reason(), only.reason().contains("(left out)"));
        assertFalse(policy("proxy_idc_name", "hz1", "proxy_route_policy", "FOLLOWER_FIRST").route(weak(partition, s))
                .exclusive());
    }

    @Test
    public void sessionVariablesOverrideIdcAndPolicy() {
        Fakes.Session s = new Fakes.Session();
        s.userVariables.put("@proxy_idc_name", "'sh1'");
        s.userVariables.put("@proxy_route_policy", "'FOLLOWER_FIRST'");
        RouteDecision d = policy("proxy_idc_name", "hz1").route(weak(partition, s));
        assertEquals(List.of(3, 2, 4, 1), ports(d));
        assertTrue(d.reason(), d.reason().contains("proxy IDC sh1 (session)") && d.reason().contains("(session)"));
    }

    @Test
    public void unknownSessionPolicyAbstains() {
        Fakes.Session s = new Fakes.Session();
        s.userVariables.put("@proxy_route_policy", "'LEADER_PLEASE'");
        assertTrue(policy("proxy_idc_name", "hz1").route(weak(partition, s)).abstained());
    }

    @Test
    public void strongStatementsWithAKnownLeaderAreLeftToTheCore() {
        RouteRequest write = new RouteRequest(statement(StatementType.INSERT), new Fakes.Session(), partition, false);
        assertTrue(policy("proxy_idc_name", "hz1").route(write).abstained());
    }

    @Test
    public void strongStatementsWithoutLocationFollowTheIdcAndAbstainWithoutIt() {
        List<Replica> tenant = List.of(replica(3, "z3", "shanghai", "sh1", ReplicaRole.NONE, false),
                replica(2, "z2", "hangzhou", "hz2", ReplicaRole.NONE, false),
                replica(1, "z1", "hangzhou", "hz1", ReplicaRole.NONE, false));
        RouteRequest read = new RouteRequest(statement(StatementType.SELECT), new Fakes.Session(), tenant, false);
        assertEquals(List.of(1, 2, 3), ports(policy("proxy_idc_name", "hz1").route(read)));
        assertTrue("IDC unknown: LDC is off", policy().route(read).abstained());
    }

    @Test
    public void badConfigurationIsRefusedWholeAndTheOldOneStays() {
        LdcRoutingPolicy p = policy("proxy_idc_name", "hz1", "proxy_route_policy", "FOLLOWER_FIRST");
        String problem = p.configure(Map.of("proxy_idc_name", "sh1", "proxy_route_policy", "NEAREST"));
        assertNotNull(problem);
        assertTrue(problem, problem.contains("etc/dev.junction.ldc.cfg") && problem.contains("proxy_route_policy")
                && problem.contains("NEAREST"));
        // still hz1 and FOLLOWER_FIRST
        assertEquals(List.of(2, 4, 3, 1), ports(p.route(weak(partition, new Fakes.Session()))));
        assertNotNull(p.configure(Map.of("max_replica_lag", "soon")));
        assertNotNull(p.configure(Map.of("proxy_idc", "hz1")));
    }

    @Test
    public void componentPropertiesAreNotConfigurationKeys() {
        assertNull(new LdcRoutingPolicy(null).configure(Map.of("junction.policy.name", "ldc", "service.ranking", 100,
                "component.id", 3L, "component.name", "dev.junction.ldc.LdcRoutingPolicy", "service.pid", "dev.junction.ldc",
                "felix.fileinstall.filename", "file:/x/etc/dev.junction.ldc.cfg", "proxy_idc_name", "hz1")));
    }
}
