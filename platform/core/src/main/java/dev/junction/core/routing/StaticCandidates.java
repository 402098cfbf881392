package dev.junction.core.routing;

import dev.junction.api.session.SessionInfo;
import dev.junction.api.statement.StatementInfo;
import dev.junction.api.topology.Replica;
import dev.junction.api.topology.ReplicaRole;
import dev.junction.api.topology.ReplicaType;
import dev.junction.api.topology.ServerAddress;
import dev.junction.api.topology.ServerState;
import dev.junction.core.cluster.TenantConfig;
import dev.junction.core.cluster.ZoneConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The tenant's configured servers, role {@link ReplicaRole#NONE} (no location known), cached per tenant. */
public final class StaticCandidates implements CandidateSource {

    private record Cached(TenantConfig tenant, List<Replica> replicas) {
    }

    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    @Override
    public List<Replica> candidates(SessionInfo session, TenantConfig tenant, StatementInfo statement) {
        return of(tenant);
    }

    public List<Replica> of(TenantConfig tenant) {
        String key = tenant.cluster() + "/" + tenant.name();
        Cached c = cache.get(key);
        if (c == null || c.tenant() != tenant) {
            List<Replica> out = new ArrayList<>();
            List<ServerAddress> seen = new ArrayList<>();
            for (ZoneConfig z : tenant.zones()) {
                for (ServerAddress a : z.servers()) {
                    if (!seen.contains(a)) {
                        seen.add(a);
                        out.add(new Replica(a, z.zone(), ReplicaRole.NONE, ReplicaType.FULL, ServerState.ACTIVE));
                    }
                }
            }
            c = new Cached(tenant, List.copyOf(out));
            cache.put(key, c);
        }
        return c.replicas();
    }
}
