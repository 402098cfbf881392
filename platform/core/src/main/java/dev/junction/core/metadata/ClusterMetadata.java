package dev.junction.core.metadata;

import dev.junction.api.topology.Replica;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * One cluster's metadata as the routing pipeline reads it. Every method returns at once and may be called
 * from any thread, event loops included: reads are volatile reads of immutable snapshots; fetches run on
 * the cluster's own metadata thread.
 */
public interface ClusterMetadata {

    String cluster();

    /** The metadata settings of the cluster (source, internal account), or null when not known. */
    default MetadataConfig config() {
        return null;
    }

    /** The current topology snapshot (empty until the first successful poll). */
    Topology topology();

    /** Whether this cluster's source can say where tables live (a static cluster file cannot). */
    boolean locatesTables();

    /** A tenant's servers as role-NONE replicas (table-less routing). */
    default List<Replica> tenantServers(String tenant) {
        return topology().tenantServers(tenant);
    }

    /** A tenant's primary zone string ({@code z1;z2,z3}), empty when unknown. */
    default String primaryZone(String tenant) {
        TenantInfo t = topology().tenant(tenant);
        return t == null ? "" : t.primaryZone();
    }

    /**
     * The cached route entry of a table. When there is none yet, returns empty and starts an asynchronous
     * fetch (a later call sees the result); a dirty entry is returned as is while its refetch is pending.
     * A negative entry ({@link TableRoute#exists()} false) means the metadata does not know the table. Always
     * empty for sources without table locations ({@code static}).
     */
    Optional<TableRoute> lookup(String tenant, String database, String table);

    /** The partition the key values select; see {@link Partitions#partitionFor}. */
    default OptionalLong partitionFor(TableRoute entry, Map<String, List<String>> keyValues) {
        return Partitions.partitionFor(entry, keyValues);
    }

    /**
     * Feedback: the entry is wrong. It is refetched no sooner than {@code metadata.dirty_refetch_delay}
     * after its last update. Feedback about an entry that has been replaced already is ignored (returns false).
     */
    boolean markDirty(TableRoute entry, DirtyReason reason);

    /** Admin: poll the topology now and refetch every cached table, ignoring the refetch delay. */
    CompletableFuture<Void> refresh();

    /** Admin: refetch one table now (also when it was never looked up). */
    CompletableFuture<Optional<TableRoute>> refresh(String tenant, String database, String table);

    /** The cached route entries (for {@code show route cache}). */
    Collection<TableRoute> routes();

    /** Health of the source. */
    MetadataStatus status();
}
