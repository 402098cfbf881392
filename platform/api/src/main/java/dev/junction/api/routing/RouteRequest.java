package dev.junction.api.routing;

import dev.junction.api.session.SessionInfo;
import dev.junction.api.statement.StatementInfo;
import dev.junction.api.topology.Replica;
import java.util.List;

/**
 * What a routing policy decides on.
 *
 * @param statement the analysed statement
 * @param session the client session
 * @param candidates every server that may run it, in the order earlier policies left them
 */
public record RouteRequest(StatementInfo statement, SessionInfo session, List<Replica> candidates) {

    public RouteRequest {
        candidates = List.copyOf(candidates);
    }
}
