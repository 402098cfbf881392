package dev.junction.primaryzone;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import dev.junction.api.routing.RouteDecision;
import dev.junction.api.routing.RouteRequest;
import dev.junction.api.session.SessionInfo;
import dev.junction.api.statement.StatementInfo;
import dev.junction.api.statement.StatementType;
import dev.junction.api.statement.TableName;
import dev.junction.api.topology.Replica;
import dev.junction.api.topology.ReplicaRole;
import dev.junction.api.topology.ReplicaType;
import dev.junction.api.topology.ServerAddress;
import dev.junction.api.topology.ServerState;
import dev.junction.api.topology.Zone;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.Test;

/** Primary-zone parsing and the policy's ordering on hand-built candidates. */
public class PrimaryZoneTest {

    private final Map<String, String> metadata = new HashMap<>();
    private final List<Replica> tenant = List.of(server(3, "z3"), server(1, "z1"), server(2, "z2"), server(4, "z4"));

    private static Replica server(int port, String zone) {
        return new Replica(new ServerAddress("127.0.0.1", port), new Zone(zone, "r", "i" + zone, false, false),
                ReplicaRole.NONE, ReplicaType.FULL, ServerState.ACTIVE);
    }

    private PrimaryZoneRoutingPolicy policy(String... kv) {
        Map<String, Object> props = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            props.put(kv[i], kv[i + 1]);
        }
        PrimaryZoneRoutingPolicy p = new PrimaryZoneRoutingPolicy((c, t) -> metadata.getOrDefault(c + "/" + t, ""), props);
        return p;
    }

    private static List<Integer> ports(RouteDecision d) {
        List<Integer> out = new ArrayList<>();
        for (Replica r : d.preference()) {
            out.add(r.server().port());
        }
        return out;
    }

    @Test
    public void parsesPriorityGroups() throws Exception {
        PrimaryZone pz = PrimaryZone.parse(" z1 ; z2, z3 ");
        assertEquals(List.of(List.of("z1"), List.of("z2", "z3")), pz.groups());
        assertEquals(1, pz.priorityOf("Z3"));
        assertEquals(-1, pz.priorityOf("z4"));
        assertTrue(PrimaryZone.parse("RANDOM").groups().isEmpty());
        for (String bad : new String[] {"", "z1;;z2", "z1,", ";z1", "z1;z 2", "z1;z1", "z1,z2;z2"}) {
            try {
                PrimaryZone.parse(bad);
                fail("accepted '" + bad + "'");
            } catch (PrimaryZone.Malformed expected) {
                assertNotNull(expected.getMessage());
            }
        }
    }

    @Test
    public void strongStatementsWithoutLocationGoToThePrimaryZoneGroupsInOrder() {
        metadata.put("demo/app", "z1;z2,z3");
        RouteDecision d = policy().route(request(StatementType.SELECT, false, tenant));
        assertEquals(List.of(1, 3, 2), ports(d)); // z1, then z2/z3 in the core's rotating order
        assertTrue(d.reason(), d.reason().contains("primary zone z1;z2,z3 of tenant app (metadata)"));
        assertEquals(List.of(1, 3, 2), ports(policy().route(request(StatementType.UPDATE, false, tenant))));
    }

    @Test
    public void configOverridesTheMetadataPerTenantAndGlobally() {
        metadata.put("demo/app", "z1");
        assertEquals(List.of(2), ports(policy("tenant.app.primary_zone", "z2").route(request(StatementType.SELECT, false, tenant))));
        assertEquals(List.of(4), ports(policy("tenant.app#demo.primary_zone", "z4", "tenant.app.primary_zone", "z2")
                .route(request(StatementType.SELECT, false, tenant))));
        assertEquals(List.of(3), ports(policy("primary_zone", "z3", "tenant.app.primary_zone", "z2")
                .route(request(StatementType.SELECT, false, tenant))));
        assertTrue(policy("tenant.app.enabled", "false").route(request(StatementType.SELECT, false, tenant)).abstained());
        assertTrue(policy("enabled", "false").route(request(StatementType.SELECT, false, tenant)).abstained());
    }

    @Test
    public void abstainsForWeakReadsKnownLeadersMalformedOrUnknownPrimaryZones() {
        metadata.put("demo/app", "z1;z2");
        assertTrue(policy().route(request(StatementType.SELECT, true, tenant)).abstained());
        List<Replica> withLeader = new ArrayList<>(tenant);
        withLeader.set(0, new Replica(withLeader.get(0).server(), withLeader.get(0).zone(), ReplicaRole.LEADER,
                ReplicaType.FULL, ServerState.ACTIVE));
        assertTrue(policy().route(request(StatementType.SELECT, false, withLeader)).abstained());
        metadata.put("demo/app", "z1;;z2");
        assertTrue("malformed metadata", policy().route(request(StatementType.SELECT, false, tenant)).abstained());
        metadata.put("demo/app", "z9");
        assertTrue("no server in the primary zone", policy().route(request(StatementType.SELECT, false, tenant)).abstained());
        metadata.remove("demo/app");
        assertTrue("unknown", policy().route(request(StatementType.SELECT, false, tenant)).abstained());
    }

    @Test
    public void malformedConfigurationIsRefusedWholeAndTheOldOneStays() {
        metadata.put("demo/app", "z1");
        PrimaryZoneRoutingPolicy p = policy("tenant.app.primary_zone", "z2");
        String problem = p.configure(Map.of("tenant.app.primary_zone", "z3;;z1", "primary_zone", "z4"));
        assertNotNull(problem);
        assertTrue(problem, problem.contains("etc/dev.junction.primaryzone.cfg: tenant.app.primary_zone")
                && problem.contains("empty zone name"));
        assertEquals(List.of(2), ports(p.route(request(StatementType.SELECT, false, tenant))));
        assertNotNull(p.configure(Map.of("primaryzone", "z1")));
        assertNull("component properties", p.configure(Map.of("junction.policy.name", "primary-zone",
                "service.ranking", 200, "component.id", 4L, "service.pid", "dev.junction.primaryzone")));
        assertNotNull(p.configure(Map.of("enabled", "yes")));
        assertNull(p.configure(Map.of()));
        assertEquals(List.of(1), ports(p.route(request(StatementType.SELECT, false, tenant))));
    }

    private static RouteRequest request(StatementType type, boolean weak, List<Replica> candidates) {
        StatementInfo st = new StatementInfo() {
            public String sql() {
                return "x";
            }

            public StatementType type() {
                return type;
            }

            public boolean parsed() {
                return true;
            }

            public List<TableName> tables() {
                return List.of();
            }

            public boolean weakReadHint() {
                return weak;
            }

            public OptionalLong queryTimeoutMicros() {
                return OptionalLong.empty();
            }

            public Optional<ServerAddress> targetServer() {
                return Optional.empty();
            }
        };
        SessionInfo s = new SessionInfo() {
            public long id() {
                return 1;
            }

            public String user() {
                return "app";
            }

            public String tenant() {
                return "app";
            }

            public String cluster() {
                return "demo";
            }

            public InetSocketAddress clientAddress() {
                return null;
            }

            public Optional<String> database() {
                return Optional.empty();
            }

            public boolean inTransaction() {
                return false;
            }

            public Optional<String> systemVariable(String name) {
                return Optional.empty();
            }

            public Optional<String> userVariable(String name) {
                return Optional.empty();
            }
        };
        return new RouteRequest(st, s, candidates, weak);
    }
}
