package dev.junction.core.routing;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What {@code show proxyroute} / {@code junction:routes} list and what {@code alter proxyroute refresh} /
 * {@code junction:refresh} do; the metadata layer's route cache implements it.
 */
@FunctionalInterface
public interface RouteCacheView {

    RouteCacheView EMPTY = () -> List.of();

    /** One cached route: cluster, tenant, table, partition and its replicas as text, and the entry's state. */
    record Entry(String cluster, String tenant, String table, String partition, String replicas, String state) {
    }

    List<Entry> entries();

    /**
     * Refetches metadata now, ignoring the refetch delay: with {@code table} null a cluster's topology and every
     * cached table ({@code cluster} null: every cluster); else that table in every tenant that has it cached, or
     * in {@code fallbackTenant} when none has. Completes with a one-line summary; never blocks the caller.
     *
     * @param cluster the cluster, or null for all
     * @param database the table's database (with {@code table})
     * @param table the table, or null for everything
     * @param fallbackTenant the tenant for a table cached nowhere (may be null)
     */
    default CompletableFuture<String> refresh(String cluster, String database, String table, String fallbackTenant) {
        return CompletableFuture.failedFuture(new IllegalStateException("no metadata layer: nothing to refresh"));
    }
}
