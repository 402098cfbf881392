package dev.junction.core.routing;

import java.util.List;

/** What {@code show proxyroute} / {@code junction:routes} list; the metadata layer's route cache implements it. */
@FunctionalInterface
public interface RouteCacheView {

    RouteCacheView EMPTY = () -> List.of();

    /** One cached route: cluster, tenant, table, partition and its replicas as text, and the entry's state. */
    record Entry(String cluster, String tenant, String table, String partition, String replicas, String state) {
    }

    List<Entry> entries();
}
