package dev.junction.core.routing;

import dev.junction.api.session.SessionInfo;
import dev.junction.api.statement.StatementInfo;
import dev.junction.api.statement.TableName;
import dev.junction.api.topology.Replica;
import dev.junction.api.topology.ReplicaRole;
import dev.junction.api.topology.ReplicaType;
import dev.junction.api.topology.ServerAddress;
import dev.junction.core.cluster.TenantConfig;
import dev.junction.core.metadata.ClusterMetadata;
import dev.junction.core.metadata.MetadataService;
import dev.junction.core.metadata.PartitionReplicas;
import dev.junction.core.metadata.TableRoute;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Candidates from the cluster's metadata (the route cache). For a statement naming a table (its first table; an
 * unqualified one is in the session's current database):
 * <ul>
 * <li>a known partition (unpartitioned table, or the key values select exactly one): that partition's replicas,
 * leader first, with their roles, replica types, zones and metadata states, then the tenant's other servers
 * (role {@code NONE});</li>
 * <li>a partition that cannot be computed: the replicas of every partition (leaders first), then the others;</li>
 * <li>a table not cached yet (its fetch starts in the background), or unknown to the metadata, or a table-less
 * statement: the tenant's servers from the metadata topology.</li>
 * </ul>
 * LOGONLY replicas hold no data to read: for reads their servers are left out (unless nothing else is left);
 * for writes they count as other servers. A cluster or tenant the metadata does not know (yet) falls back to the
 * configured servers ({@link StaticCandidates}). Never blocks: every read is a snapshot.
 */
public final class MetadataCandidates implements CandidateSource {

    private final MetadataService metadata;
    private final StaticCandidates fallback;

    public MetadataCandidates(MetadataService metadata, StaticCandidates fallback) {
        this.metadata = metadata;
        this.fallback = fallback;
    }

    @Override
    public boolean locates(String cluster) {
        ClusterMetadata m = metadata.find(cluster);
        return m != null && m.locatesTables();
    }

    @Override
    public List<Replica> candidates(SessionInfo session, TenantConfig tenant, StatementInfo statement) {
        ClusterMetadata m = metadata.find(tenant.cluster());
        if (m == null) {
            return fallback.of(tenant);
        }
        List<Replica> servers = m.tenantServers(tenant.name());
        if (servers.isEmpty()) {
            return fallback.of(tenant);
        }
        TableRoute route = route(m, session, tenant.name(), statement);
        if (route == null || !route.exists()) {
            return servers;
        }
        List<Replica> out = replicas(m, route, statement, servers);
        return out.isEmpty() ? servers : out;
    }

    @Override
    public String explain(SessionInfo session, TenantConfig tenant, StatementInfo statement) {
        ClusterMetadata m = metadata.find(tenant.cluster());
        if (m == null) {
            return "cluster " + tenant.cluster() + " has no metadata: its configured servers";
        }
        if (m.tenantServers(tenant.name()).isEmpty()) {
            return "the metadata (" + m.topology().source() + ") does not know tenant " + tenant.name()
                    + " (yet): its configured servers";
        }
        TableName t = table(session, statement);
        if (t == null) {
            return "no table: tenant " + tenant.name() + "'s servers from the metadata (" + m.topology().source()
                    + ")";
        }
        Optional<TableRoute> r = m.lookup(tenant.name(), t.database(), t.table());
        if (r.isEmpty()) {
            return "table " + t + " not cached (fetch started): tenant " + tenant.name() + "'s servers";
        }
        TableRoute route = r.get();
        if (!route.exists()) {
            return "table " + t + " unknown to the metadata: tenant " + tenant.name() + "'s servers";
        }
        String head = "table " + t + " (route generation " + route.generation() + ", age "
                + (System.nanoTime() - route.updatedAtNanos()) / 1_000_000 + " ms)";
        if (!route.partitioned()) {
            return head + ", not partitioned; leader " + route.leader(0).map(x -> x.server().toString()).orElse("unknown");
        }
        OptionalLong p = m.partitionFor(route, statement.keyValues());
        if (p.isPresent()) {
            return head + ", " + route.partitionInfo().type() + " partition " + p.getAsLong() + " of "
                    + route.partitionInfo().partNum() + " from " + statement.keyValues() + "; leader "
                    + route.leader(p.getAsLong()).map(x -> x.server().toString()).orElse("unknown");
        }
        return head + ", " + route.partitionInfo().type() + " partition not computable from "
                + statement.keyValues() + ": replicas of all " + route.partitions().size() + " partitions";
    }

    /** The route entry of the statement's first table, or null (table-less, no database, not cached yet). */
    static TableRoute route(ClusterMetadata m, SessionInfo session, String tenant, StatementInfo statement) {
        TableName t = table(session, statement);
        if (t == null) {
            return null;
        }
        return m.lookup(tenant, t.database(), t.table()).orElse(null);
    }

    /** The statement's first table, qualified with the session's database; null when there is none. */
    static TableName table(SessionInfo session, StatementInfo statement) {
        List<TableName> tables = statement.tables();
        if (tables.isEmpty()) {
            return null;
        }
        TableName t = tables.get(0);
        String db = t.database();
        if (db == null) {
            db = session == null ? null : session.database().orElse(null);
            if (db == null || db.isEmpty()) {
                return null;
            }
        }
        return new TableName(db, t.table());
    }

    private static List<Replica> replicas(ClusterMetadata m, TableRoute route, StatementInfo statement,
            List<Replica> servers) {
        boolean read = !statement.isWrite();
        List<Replica> reps;
        OptionalLong p = m.partitionFor(route, statement.keyValues());
        if (p.isPresent() && !route.replicas(p.getAsLong()).isEmpty()) {
            reps = route.replicas(p.getAsLong());
        } else {
            reps = new ArrayList<>();
            for (PartitionReplicas pr : route.partitions()) {
                for (Replica r : pr.replicas()) {
                    if (r.isLeader()) {
                        reps.add(r);
                    }
                }
            }
            for (PartitionReplicas pr : route.partitions()) {
                for (Replica r : pr.replicas()) {
                    if (!r.isLeader()) {
                        reps.add(r);
                    }
                }
            }
        }
        List<Replica> out = new ArrayList<>(servers.size() + 1);
        Set<ServerAddress> taken = new HashSet<>();
        Set<ServerAddress> logOnly = null;
        for (Replica r : reps) {
            if (r.type() == ReplicaType.LOGONLY) {
                if (logOnly == null) {
                    logOnly = new HashSet<>();
                }
                logOnly.add(r.server());
                continue;
            }
            if (taken.add(r.server())) {
                out.add(r);
            }
        }
        for (Replica s : servers) {
            if (taken.contains(s.server()) || read && logOnly != null && logOnly.contains(s.server())) {
                continue;
            }
            taken.add(s.server());
            out.add(s.role() == ReplicaRole.NONE ? s
                    : new Replica(s.server(), s.zone(), ReplicaRole.NONE, s.type(), s.state()));
        }
        return out;
    }
}
