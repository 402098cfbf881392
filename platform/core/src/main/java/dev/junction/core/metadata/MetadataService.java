package dev.junction.core.metadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Component;

/**
 * The entry point for the routing pipeline and admin: each configured cluster's {@link ClusterMetadata}, by
 * name (case-insensitive). Filled by {@link ClusterMetadataComponent}, one per cluster file.
 */
@Component(service = MetadataService.class)
public final class MetadataService {

    private final Map<String, MetadataCache> byName = new ConcurrentHashMap<>();

    /** A cluster's metadata, or null when no such cluster is configured. Non-blocking. */
    public ClusterMetadata find(String cluster) {
        return cluster == null ? null : byName.get(key(cluster));
    }

    /** The map key: lower case, without allocating for names that are already (the routing path asks per statement). */
    private static String key(String cluster) {
        for (int i = 0; i < cluster.length(); i++) {
            char c = cluster.charAt(i);
            if (c >= 'A' && c <= 'Z' || c > 127) {
                return cluster.toLowerCase(Locale.ROOT);
            }
        }
        return cluster;
    }

    public List<ClusterMetadata> all() {
        return new ArrayList<>(byName.values());
    }

    /** Admin: poll a cluster's topology and refetch its cached tables now; fails for an unknown cluster. */
    public CompletableFuture<Void> refresh(String cluster) {
        ClusterMetadata m = find(cluster);
        return m == null ? CompletableFuture.failedFuture(new IllegalArgumentException("no cluster " + cluster))
                : m.refresh();
    }

    /** Admin: refetch one table of a cluster now. */
    public CompletableFuture<Optional<TableRoute>> refresh(String cluster, String tenant, String database,
            String table) {
        ClusterMetadata m = find(cluster);
        return m == null ? CompletableFuture.failedFuture(new IllegalArgumentException("no cluster " + cluster))
                : m.refresh(tenant, database, table);
    }

    /**
     * For tests and embedding: starts a cluster's metadata from the properties of its cluster file, as
     * {@link ClusterMetadataComponent} does, replacing (and closing) the cluster's current one.
     */
    public ClusterMetadata start(Map<String, ?> properties, java.nio.file.Path dataDir)
            throws dev.junction.core.config.ConfigException {
        MetadataCache c = MetadataCache.create(MetadataConfig.parse(properties),
                dev.junction.core.cluster.ClusterConfig.parse(properties), properties, dataDir);
        c.start();
        put(c);
        return c;
    }

    /** For tests and embedding: stops and removes a cluster's metadata. */
    public void stop(String cluster) {
        MetadataCache c = cluster == null ? null : byName.get(key(cluster));
        if (c != null) {
            remove(c);
        }
    }

    /** Installs a cluster's metadata, closing the one it replaces. */
    void put(MetadataCache metadata) {
        MetadataCache old = byName.put(key(metadata.cluster()), metadata);
        if (old != null && old != metadata) {
            old.close();
        }
    }

    /** Removes and closes a cluster's metadata if it is this one. */
    void remove(MetadataCache metadata) {
        byName.remove(key(metadata.cluster()), metadata);
        metadata.close();
    }
}
