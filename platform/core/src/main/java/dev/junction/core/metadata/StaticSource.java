package dev.junction.core.metadata;

import dev.junction.api.topology.ServerAddress;
import dev.junction.api.topology.ServerState;
import dev.junction.api.topology.Zone;
import dev.junction.core.cluster.ClusterConfig;
import dev.junction.core.cluster.TenantConfig;
import dev.junction.core.cluster.ZoneConfig;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Topology from the cluster file itself (zones, servers, tenants; every server ACTIVE). No table locations:
 * the pipeline routes every statement over the tenant's servers. A tenant's primary zone may be given as
 * {@code tenant.<name>.primary_zone}.
 */
final class StaticSource implements MetadataSource {

    private final ClusterConfig cluster;
    private final Map<String, ?> properties;

    StaticSource(ClusterConfig cluster, Map<String, ?> properties) {
        this.cluster = cluster;
        this.properties = properties;
    }

    @Override
    public String name() {
        return "static";
    }

    @Override
    public Topology fetchTopology(Topology previous) {
        return build(cluster, properties, "static");
    }

    /** The topology a cluster file describes (also the bootstrap topology of the other sources). */
    static Topology build(ClusterConfig cluster, Map<String, ?> properties, String source) {
        Map<String, Zone> zones = new LinkedHashMap<>();
        Map<ServerAddress, ServerInfo> servers = new LinkedHashMap<>();
        for (ZoneConfig z : cluster.zones().values()) {
            zones.put(z.name(), z.zone());
            for (ServerAddress a : z.servers()) {
                servers.putIfAbsent(a, new ServerInfo(a, z.name(), ServerState.ACTIVE, 0, 0));
            }
        }
        Map<String, TenantInfo> tenants = new LinkedHashMap<>();
        for (TenantConfig t : cluster.tenants().values()) {
            Object pz = properties.get("tenant." + t.name() + ".primary_zone");
            tenants.put(t.name().toLowerCase(Locale.ROOT),
                    new TenantInfo(t.name(), pz == null ? "" : pz.toString().trim(), "", t.servers()));
        }
        return new Topology(cluster.name(), zones, servers, tenants, source, System.currentTimeMillis());
    }

    @Override
    public boolean supportsTables() {
        return false;
    }

    @Override
    public TableRoute fetchTable(TableRoute.Key key, Topology topology, long generation) {
        throw new UnsupportedOperationException("static metadata has no table locations");
    }

    @Override
    public void close() {
        // nothing held
    }
}
