package dev.junction.core.metadata;

import dev.junction.api.topology.ServerAddress;
import java.util.List;

/**
 * A tenant of a cluster.
 *
 * @param name tenant name as the source spells it
 * @param primaryZone the primary zone string, e.g. {@code z1;z2,z3} (empty when unknown)
 * @param locality OceanBase locality, e.g. {@code FULL{1}@z1, FULL{1}@z2} (empty when unknown)
 * @param servers the tenant's servers, in zone order
 */
public record TenantInfo(String name, String primaryZone, String locality, List<ServerAddress> servers) {

    public TenantInfo {
        servers = List.copyOf(servers);
    }
}
