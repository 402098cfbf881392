package dev.junction.core.routing;

import dev.junction.api.statement.StatementInfo;
import dev.junction.api.topology.ServerAddress;

/**
 * What routing tells the metadata layer (the route cache marks the statement's entries dirty and re-fetches
 * them). The default does nothing.
 */
public interface RouteFeedback {

    RouteFeedback NONE = new RouteFeedback() {
    };

    /** The server answered that it does not hold the data or is not its leader (the statement did not run). */
    default void locationChanged(String cluster, String tenant, StatementInfo statement, ServerAddress server) {
    }

    /** The statement is on its last allowed attempt (retries used up but one). */
    default void lastRetry(String cluster, String tenant, StatementInfo statement, ServerAddress server) {
    }
}
