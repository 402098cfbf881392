package dev.junction.core.routing;

import dev.junction.api.session.SessionInfo;
import dev.junction.api.statement.StatementInfo;
import dev.junction.api.topology.ServerAddress;

/**
 * What routing tells the metadata layer (the route cache marks the statement's entries dirty and re-fetches
 * them). The default does nothing. Called on the session's event loop: must not block.
 */
public interface RouteFeedback {

    RouteFeedback NONE = new RouteFeedback() {
    };

    /** The server answered that it does not hold the data or is not its leader (the statement did not run). */
    default void locationChanged(String cluster, String tenant, SessionInfo session, StatementInfo statement,
            ServerAddress server) {
    }

    /** The statement is on its last allowed attempt (retries used up but one). */
    default void lastRetry(String cluster, String tenant, SessionInfo session, StatementInfo statement,
            ServerAddress server) {
    }

    /** Connecting to (or logging in at) {@code server} failed for the statement (nothing was sent). */
    default void connectFailed(String cluster, String tenant, SessionInfo session, StatementInfo statement,
            ServerAddress server) {
    }
}
