package dev.junction.core.routing;

import dev.junction.api.session.SessionInfo;
import dev.junction.api.statement.StatementInfo;
import dev.junction.api.topology.Replica;
import dev.junction.api.topology.ServerAddress;
import dev.junction.core.metadata.ClusterMetadata;
import dev.junction.core.metadata.DirtyReason;
import dev.junction.core.metadata.MetadataService;
import dev.junction.core.metadata.PartitionReplicas;
import dev.junction.core.metadata.TableRoute;

/**
 * Routing feedback into the route cache: a "not leader" refusal marks the statement's table entry dirty
 * ({@link DirtyReason#NOT_LEADER}), the last retry too ({@link DirtyReason#LAST_RETRY}), and a failed connect to
 * one of the entry's replicas ({@link DirtyReason#CONNECT_ERROR}). The cache refetches a dirty entry no sooner
 * than {@code metadata.dirty_refetch_delay} after its last update. Never blocks.
 */
public final class MetadataFeedback implements RouteFeedback {

    private final MetadataService metadata;

    public MetadataFeedback(MetadataService metadata) {
        this.metadata = metadata;
    }

    @Override
    public void locationChanged(String cluster, String tenant, SessionInfo session, StatementInfo statement,
            ServerAddress server) {
        mark(cluster, tenant, session, statement, null, DirtyReason.NOT_LEADER);
    }

    @Override
    public void lastRetry(String cluster, String tenant, SessionInfo session, StatementInfo statement,
            ServerAddress server) {
        mark(cluster, tenant, session, statement, null, DirtyReason.LAST_RETRY);
    }

    @Override
    public void connectFailed(String cluster, String tenant, SessionInfo session, StatementInfo statement,
            ServerAddress server) {
        mark(cluster, tenant, session, statement, server, DirtyReason.CONNECT_ERROR);
    }

    /** Marks the statement's entry dirty; with {@code replica} only when that server holds one of its replicas. */
    private void mark(String cluster, String tenant, SessionInfo session, StatementInfo statement,
            ServerAddress replica, DirtyReason reason) {
        ClusterMetadata m = metadata.find(cluster);
        if (m == null || statement == null) {
            return;
        }
        TableRoute route = MetadataCandidates.route(m, session, tenant, statement);
        if (route == null || !route.exists() || replica != null && !holds(route, replica)) {
            return;
        }
        m.markDirty(route, reason);
    }

    private static boolean holds(TableRoute route, ServerAddress server) {
        for (PartitionReplicas p : route.partitions()) {
            for (Replica r : p.replicas()) {
                if (r.server().equals(server)) {
                    return true;
                }
            }
        }
        return false;
    }
}
