package dev.junction.core.routing;

import dev.junction.api.session.SessionInfo;
import dev.junction.api.statement.StatementInfo;
import dev.junction.api.topology.Replica;
import dev.junction.core.cluster.TenantConfig;
import java.util.List;

/**
 * Where a statement may run: the replicas of the data it touches, or the tenant's servers when that is not
 * known. The stand-in until the metadata layer lands is {@link StaticCandidates} (the configured tenant
 * servers); the route cache plugs in here. Must not block: a location not cached yet answers with the tenant's
 * servers and fetches in the background.
 */
@FunctionalInterface
public interface CandidateSource {

    List<Replica> candidates(SessionInfo session, TenantConfig tenant, StatementInfo statement);

    /**
     * Whether candidates for {@code cluster} can depend on the statement (its tables and keys). When not, and
     * no policy bundle is registered, the proxy skips analysis and planning for that cluster's statements.
     */
    default boolean locates(String cluster) {
        return false;
    }

    /** For {@code explain route}: where the candidates came from (table, partition, cache state), or null. */
    default String explain(SessionInfo session, TenantConfig tenant, StatementInfo statement) {
        return null;
    }
}
