package dev.junction.example.bycomment;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

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
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.Test;

/** The example policy on hand-built candidates. */
public class CommentRoutingPolicyTest {

    private final List<Replica> servers = List.of(server(1, "z1"), server(2, "z2"), server(3, "z3"));

    private static Replica server(int port, String zone) {
        return new Replica(new ServerAddress("127.0.0.1", port), new Zone(zone, "r", "i", false, false), ReplicaRole.NONE,
                ReplicaType.FULL, ServerState.ACTIVE);
    }

    private RouteRequest request(String sql) {
        StatementInfo st = new StatementInfo() {
            public String sql() {
                return sql;
            }

            public StatementType type() {
                return StatementType.SELECT;
            }

            public boolean parsed() {
                return true;
            }

            public List<TableName> tables() {
                return List.of();
            }

            public boolean weakReadHint() {
                return false;
            }

            public OptionalLong queryTimeoutMicros() {
                return OptionalLong.empty();
            }

            public Optional<ServerAddress> targetServer() {
                return Optional.empty();
            }
        };
        SessionInfo session = (SessionInfo) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {SessionInfo.class}, (p, m, a) -> m.getName().equals("user") ? "app" : null);
        return new RouteRequest(st, session, servers);
    }

    @Test
    public void aCommentTagPicksTheZone() {
        CommentRoutingPolicy p = new CommentRoutingPolicy("tag", "1.0", Map.of());
        RouteDecision d = p.route(request("/* zone:z3 */ SELECT 1"));
        assertEquals(List.of(servers.get(2)), d.preference());
        assertTrue(d.reason(), d.reason().contains("comment tag zone:z3 (routing-by-comment 1.0)"));
        assertTrue(p.route(request("SELECT 1")).abstained());
        assertTrue("no such zone", p.route(request("/* zone:z9 */ SELECT 1")).abstained());
    }

    @Test
    public void userRulesApplyOnlyWhenTheBuildSwitchesThemOn() {
        Map<String, Object> cfg = Map.of("user.app", "z2");
        assertTrue(new CommentRoutingPolicy("tag", "1.0", cfg).route(request("SELECT 1")).abstained());
        CommentRoutingPolicy v2 = new CommentRoutingPolicy("tag,user", "2.0", cfg);
        assertEquals(List.of(servers.get(1)), v2.route(request("SELECT 1")).preference());
        assertEquals("the tag still wins", List.of(servers.get(0)), v2.route(request("/* zone:z1 */ SELECT 1")).preference());
    }
}
