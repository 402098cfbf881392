package dev.junction.core.metadata;

import dev.junction.api.topology.Replica;
import java.util.List;
import java.util.Optional;

/** The replicas of one partition, leader first when there is one. */
public record PartitionReplicas(long partitionId, List<Replica> replicas) {

    public PartitionReplicas {
        replicas = List.copyOf(replicas);
    }

    public Optional<Replica> leader() {
        for (Replica r : replicas) {
            if (r.isLeader()) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
