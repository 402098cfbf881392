package dev.junction.ldc;

/**
 * A candidate's class in OBProxy's {@code MERGE_IDC_ORDER}, best first: servers in the proxy's IDC or region
 * before other regions; among the near ones partition replicas before other tenant servers, zones not in daily
 * merge before merging ones, then the same IDC before the rest of the region; among other regions zones not in
 * merge first, partition replicas before tenant servers.
 */
public enum LdcClass {
    PARTITION_UNMERGE_LOCAL,
    PARTITION_UNMERGE_REGION,
    PARTITION_MERGE_LOCAL,
    PARTITION_MERGE_REGION,
    TENANT_UNMERGE_LOCAL,
    TENANT_UNMERGE_REGION,
    TENANT_MERGE_LOCAL,
    TENANT_MERGE_REGION,
    PARTITION_UNMERGE_REMOTE,
    TENANT_UNMERGE_REMOTE,
    PARTITION_MERGE_REMOTE,
    TENANT_MERGE_REMOTE;

    /** Where a server is relative to the proxy. */
    public enum Place {
        SAME_IDC("same IDC"), SAME_REGION("same region"), OTHER_REGION("other region");

        final String label;

        Place(String label) {
            this.label = label;
        }
    }

    private static final LdcClass[] VALUES = values();

    /**
     * The class of a server.
     *
     * @param partition whether it holds a replica of the statement's partition (role leader or follower)
     * @param merging whether its zone is in daily merge
     */
    public static LdcClass of(Place place, boolean partition, boolean merging) {
        if (place == Place.OTHER_REGION) {
            return VALUES[8 + (merging ? 2 : 0) + (partition ? 0 : 1)];
        }
        return VALUES[(partition ? 0 : 4) + (merging ? 2 : 0) + (place == Place.SAME_IDC ? 0 : 1)];
    }
}
