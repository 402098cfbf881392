package dev.junction.core.metadata;

import java.util.List;

/**
 * How a table is partitioned (first level only), from {@code __all_virtual_proxy_partition_info} and, for
 * RANGE and LIST, the bounds from {@code __all_virtual_proxy_partition}.
 *
 * @param level 0 for a table without partitions, 1 for one level (two levels are not supported: such a
 *        table is treated as not computable and routed by its first partition's replicas only when unique)
 * @param partNum number of partitions
 * @param type partitioning function
 * @param keyColumns partition key columns, lower-cased, in key order
 * @param keyTypes the type class of each key column
 * @param bounds RANGE/LIST bounds in partition order (empty for HASH/KEY)
 */
public record PartitionInfo(int level, int partNum, Type type, List<String> keyColumns, List<KeyType> keyTypes,
        List<PartitionBound> bounds) {

    /** Partitioning functions; UNKNOWN: partitioned, but how is unknown (nothing is computed). */
    public enum Type { NONE, HASH, KEY, RANGE, RANGE_COLUMNS, LIST, LIST_COLUMNS, UNKNOWN }

    /**
     * Key column types. Integer widths matter for KEY partitioning (the hash runs over the stored bytes);
     * OTHER keys (dates, decimals, ...) are not computed.
     */
    public enum KeyType {
        TINYINT(1), SMALLINT(2), MEDIUMINT(3), INT(4), BIGINT(8), STRING(0), OTHER(0);

        private final int bytes;

        KeyType(int bytes) {
            this.bytes = bytes;
        }

        public int bytes() {
            return bytes;
        }

        public boolean isInteger() {
            return bytes > 0;
        }
    }

    public static final PartitionInfo NONE = new PartitionInfo(0, 1, Type.NONE, List.of(), List.of(), List.of());

    public PartitionInfo {
        keyColumns = List.copyOf(keyColumns);
        keyTypes = List.copyOf(keyTypes);
        bounds = List.copyOf(bounds);
    }

    public boolean partitioned() {
        return type != Type.NONE && level > 0;
    }
}
