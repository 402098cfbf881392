package dev.junction.api.topology;

import java.util.Objects;

/**
 * One candidate server for a statement.
 *
 * @param server where it listens
 * @param zone the zone it is in (region and IDC included)
 * @param role its role for the statement's partition ({@link ReplicaRole#NONE} for table-less statements)
 * @param type the replica type
 * @param state its last known state
 */
public record Replica(ServerAddress server, Zone zone, ReplicaRole role, ReplicaType type, ServerState state) {

    public Replica {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(state, "state");
    }

    public boolean isLeader() {
        return role == ReplicaRole.LEADER;
    }
}
