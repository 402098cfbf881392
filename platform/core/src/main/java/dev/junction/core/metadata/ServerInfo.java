package dev.junction.core.metadata;

import dev.junction.api.topology.ServerAddress;
import dev.junction.api.topology.ServerState;

/**
 * One server of a cluster as the metadata source sees it.
 *
 * @param address its SQL endpoint
 * @param zone the name of its zone
 * @param state its state from metadata (never DETECT_*: probes are the health checker's business)
 * @param startServiceTime OceanBase {@code start_service_time} (µs since the epoch; 0 = not serving yet)
 * @param stopTime OceanBase {@code stop_time} (µs; non-zero = being stopped)
 */
public record ServerInfo(ServerAddress address, String zone, ServerState state, long startServiceTime,
        long stopTime) {
}
