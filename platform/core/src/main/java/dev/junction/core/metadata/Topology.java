package dev.junction.core.metadata;

import dev.junction.api.topology.ReplicaRole;
import dev.junction.api.topology.ReplicaType;
import dev.junction.api.topology.Replica;
import dev.junction.api.topology.ServerAddress;
import dev.junction.api.topology.ServerState;
import dev.junction.api.topology.Zone;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An immutable snapshot of a cluster's zones, servers and tenants. A new snapshot replaces the old one
 * whole; readers never see a half-updated topology.
 *
 * @param cluster cluster name
 * @param zones zones by name
 * @param servers servers by address (DELETED servers stay one poll after they disappear)
 * @param tenants tenants by lower-cased name
 * @param source which source produced it ({@code static}, {@code oceanbase}, {@code config_server})
 * @param fetchedAtMillis wall-clock time of the poll that produced it
 */
public record Topology(String cluster, Map<String, Zone> zones, Map<ServerAddress, ServerInfo> servers,
        Map<String, TenantInfo> tenants, String source, long fetchedAtMillis) {

    public Topology {
        zones = Collections.unmodifiableMap(new LinkedHashMap<>(zones));
        servers = Collections.unmodifiableMap(new LinkedHashMap<>(servers));
        tenants = Collections.unmodifiableMap(new LinkedHashMap<>(tenants));
    }

    public static Topology empty(String cluster, String source) {
        return new Topology(cluster, Map.of(), Map.of(), Map.of(), source, 0);
    }

    public boolean isEmpty() {
        return servers.isEmpty();
    }

    /** A tenant by name (case-insensitive), or null. */
    public TenantInfo tenant(String name) {
        return name == null ? null : tenants.get(name.toLowerCase(Locale.ROOT));
    }

    public ServerInfo server(ServerAddress address) {
        return servers.get(address);
    }

    /** The zone record of a server; an unknown zone gets a bare record so callers never see null. */
    public Zone zoneOf(ServerAddress address) {
        ServerInfo s = servers.get(address);
        String zn = s == null ? "" : s.zone();
        Zone z = zones.get(zn);
        return z != null ? z : new Zone(zn, "", "", false, false);
    }

    /** The state of a server; one the metadata does not list counts as DELETED. */
    public ServerState stateOf(ServerAddress address) {
        ServerInfo s = servers.get(address);
        return s == null ? ServerState.DELETED : s.state();
    }

    /**
     * A tenant's servers as replicas with role {@link ReplicaRole#NONE} (what table-less statements and
     * tables without a known location are routed over). Empty for an unknown tenant.
     */
    public List<Replica> tenantServers(String tenant) {
        TenantInfo t = tenant(tenant);
        if (t == null) {
            return List.of();
        }
        List<Replica> out = new ArrayList<>(t.servers().size());
        for (ServerAddress a : t.servers()) {
            out.add(new Replica(a, zoneOf(a), ReplicaRole.NONE, ReplicaType.FULL, stateOf(a)));
        }
        return List.copyOf(out);
    }
}
