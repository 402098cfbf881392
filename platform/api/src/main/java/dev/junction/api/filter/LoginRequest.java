package dev.junction.api.filter;

import java.net.InetSocketAddress;

/**
 * A login as the filters see it, before any server is contacted.
 *
 * @param user the user name (without tenant and cluster)
 * @param tenant the tenant
 * @param cluster the cluster
 * @param clientAddress where the client connects from
 */
public record LoginRequest(String user, String tenant, String cluster, InetSocketAddress clientAddress) {
}
