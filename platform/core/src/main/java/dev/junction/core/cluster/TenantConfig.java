package dev.junction.core.cluster;

import dev.junction.api.topology.ServerAddress;
import java.util.List;

/** A tenant of a cluster: the zones it lives in and, flattened, their servers. */
public record TenantConfig(String name, String cluster, List<ZoneConfig> zones, List<ServerAddress> servers) {

    public TenantConfig {
        zones = List.copyOf(zones);
        servers = List.copyOf(servers);
    }
}
