package dev.junction.core.metadata;

import dev.junction.api.topology.Replica;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One route cache entry: where a table's partitions live. Immutable; a refetch replaces the entry.
 *
 * @param cluster cluster name
 * @param tenant tenant name (lower-cased)
 * @param database database name (lower-cased)
 * @param table table name (lower-cased)
 * @param exists false for a negative entry: the metadata does not know the table (route it as table-less)
 * @param tableId OceanBase table id (0 when unknown)
 * @param partitionInfo how the table is partitioned ({@link PartitionInfo#NONE} when not)
 * @param partitions per partition id, its replicas (leader first)
 * @param updatedAtNanos {@link System#nanoTime()} when it was fetched
 * @param generation how many times this table was fetched (1 for the first)
 */
public record TableRoute(String cluster, String tenant, String database, String table, boolean exists, long tableId,
        PartitionInfo partitionInfo, List<PartitionReplicas> partitions, long updatedAtNanos, long generation) {

    public TableRoute {
        partitions = List.copyOf(partitions);
    }

    /** The cache key of a table. */
    public record Key(String tenant, String database, String table) {
        public static Key of(String tenant, String database, String table) {
            return new Key(lower(tenant), lower(database), lower(table));
        }

        private static String lower(String s) {
            return s == null ? "" : s.toLowerCase(Locale.ROOT);
        }

        @Override
        public String toString() {
            return tenant + ":" + database + "." + table;
        }
    }

    public Key key() {
        return new Key(tenant, database, table);
    }

    public boolean partitioned() {
        return partitionInfo.partitioned();
    }

    /** The replicas of a partition, or empty when the metadata lists none for it. */
    public List<Replica> replicas(long partitionId) {
        return partition(partitionId).map(PartitionReplicas::replicas).orElse(List.of());
    }

    public Optional<PartitionReplicas> partition(long partitionId) {
        for (PartitionReplicas p : partitions) {
            if (p.partitionId() == partitionId) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The leader of a partition, if the metadata names one. */
    public Optional<Replica> leader(long partitionId) {
        return partition(partitionId).flatMap(PartitionReplicas::leader);
    }
}
