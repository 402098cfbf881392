package dev.junction.core.cluster;

import dev.junction.api.topology.ServerAddress;
import dev.junction.api.topology.Zone;
import java.util.List;

/** A zone of a cluster and the servers in it. */
public record ZoneConfig(Zone zone, List<ServerAddress> servers) {

    public ZoneConfig {
        servers = List.copyOf(servers);
    }

    public String name() {
        return zone.name();
    }
}
