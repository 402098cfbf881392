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
 * @param weakRead whether the core reads the statement as a weak read (a read that a follower may serve): a
 *        {@code READ_CONSISTENCY(WEAK)} hint, the session's {@code ob_read_consistency = weak}, or the user's
 *        default from {@code weak_read_users}; never for writes or under a {@code READ_CONSISTENCY(STRONG)}
 *        hint (since 1.1)
 */
public record RouteRequest(StatementInfo statement, SessionInfo session, List<Replica> candidates, boolean weakRead) {

    public RouteRequest {
        candidates = List.copyOf(candidates);
    }

    /** A request whose weak-read flag follows the statement's hint alone. */
    public RouteRequest(StatementInfo statement, SessionInfo session, List<Replica> candidates) {
        this(statement, session, candidates, !statement.isWrite() && statement.weakReadHint());
    }
}
