package dev.junction.core.routing;

import dev.junction.api.topology.ServerAddress;
import dev.junction.api.topology.Zone;
import dev.junction.core.admin.AdminService;
import dev.junction.core.cluster.ClusterConfig;
import dev.junction.core.cluster.ClusterRegistry;
import dev.junction.core.cluster.TenantConfig;
import dev.junction.core.cluster.ZoneConfig;
import dev.junction.core.metadata.ClusterMetadata;
import dev.junction.core.metadata.MetadataService;
import dev.junction.core.metadata.ServerInfo;
import dev.junction.core.metadata.TenantInfo;
import dev.junction.core.metadata.Topology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the metadata layer part of the routing pipeline while {@link MetadataService} is there: candidates from
 * the route cache ({@link MetadataCandidates}), feedback into it ({@link MetadataFeedback}), the route cache and its
 * refresh for admin ({@link MetadataRouteCache}), and logins to tenants the metadata knows but no cluster file
 * lists. On deactivation the stand-ins come back (configured servers, no feedback, empty route cache, cluster-file
 * tenants only).
 */
@Component(service = MetadataRouting.class, immediate = true)
public final class MetadataRouting implements ClusterRegistry.TenantLookup {

    private static final Logger LOG = LoggerFactory.getLogger(MetadataRouting.class);

    private final MetadataService metadata;
    private final RoutingPipeline routing;
    private final AdminService admin;
    private final ClusterRegistry clusters;
    private final MetadataCandidates candidates;
    private final MetadataFeedback feedback;
    private final MetadataRouteCache routeCache;

    private record Built(Topology topology, TenantConfig tenant) {
    }

    private final Map<String, Built> built = new ConcurrentHashMap<>();

    @Activate
    public MetadataRouting(@Reference MetadataService metadata, @Reference RoutingPipeline routing,
            @Reference AdminService admin, @Reference ClusterRegistry clusters) {
        this.metadata = metadata;
        this.routing = routing;
        this.admin = admin;
        this.clusters = clusters;
        this.candidates = new MetadataCandidates(metadata, routing.staticCandidates());
        this.feedback = new MetadataFeedback(metadata);
        this.routeCache = new MetadataRouteCache(metadata);
        routing.candidates(candidates);
        routing.feedback(feedback);
        admin.routeCache(routeCache);
        clusters.tenantLookup(this);
        LOG.info("Routing uses the cluster metadata (route cache, feedback, metadata tenants)");
    }

    /** Restores the stand-ins (only those still ours). */
    @Deactivate
    public void close() {
        if (routing.candidates() == candidates) {
            routing.candidates(null);
        }
        routing.feedback(null);
        admin.routeCache(RouteCacheView.EMPTY);
        clusters.tenantLookup(null);
        LOG.info("Routing is back on the configured servers (no cluster metadata)");
    }

    public MetadataCandidates candidates() {
        return candidates;
    }

    /** A tenant the cluster file does not list, from the cluster's metadata topology; null when unknown. */
    @Override
    public TenantConfig find(ClusterConfig cluster, String tenant) {
        ClusterMetadata m = metadata.find(cluster.name());
        if (m == null) {
            return null;
        }
        Topology t = m.topology();
        String key = cluster.name().toLowerCase(Locale.ROOT) + "/" + tenant.toLowerCase(Locale.ROOT);
        Built b = built.get(key);
        if (b != null && b.topology() == t) {
            return b.tenant();
        }
        TenantInfo info = t.tenant(tenant);
        if (info == null || info.servers().isEmpty()) {
            return null;
        }
        Map<String, List<ServerAddress>> byZone = new LinkedHashMap<>();
        for (ServerAddress a : info.servers()) {
            ServerInfo s = t.server(a);
            byZone.computeIfAbsent(s == null ? "" : s.zone(), z -> new ArrayList<>()).add(a);
        }
        List<ZoneConfig> zones = new ArrayList<>();
        for (Map.Entry<String, List<ServerAddress>> e : byZone.entrySet()) {
            Zone z = t.zones().get(e.getKey());
            zones.add(new ZoneConfig(z != null ? z : new Zone(e.getKey(), "", "", false, false), e.getValue()));
        }
        TenantConfig config = new TenantConfig(info.name(), cluster.name(), zones, info.servers());
        built.put(key, new Built(t, config));
        return config;
    }

}
