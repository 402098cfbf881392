package dev.junction.core.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Component;

/** The clusters Junction serves, by name. Updated from configuration; read at each login. */
@Component(service = ClusterRegistry.class)
public final class ClusterRegistry {

    private final Map<String, ClusterConfig> byName = new ConcurrentHashMap<>();
    private volatile TenantLookup tenants = TenantLookup.NONE;

    /** Tenants a cluster file does not list (the metadata layer knows them from the cluster's metadata). */
    @FunctionalInterface
    public interface TenantLookup {
        TenantLookup NONE = (cluster, tenant) -> null;

        /** The tenant, or null when unknown. Must not block. */
        TenantConfig find(ClusterConfig cluster, String tenant);
    }

    /** Where tenants missing from the cluster files are looked up; null: nowhere. */
    public void tenantLookup(TenantLookup lookup) {
        this.tenants = lookup == null ? TenantLookup.NONE : lookup;
    }

    /** A tenant of a cluster: from the cluster file, else from the tenant lookup (metadata); null when unknown. */
    public TenantConfig tenant(ClusterConfig cluster, String tenant) {
        if (cluster == null || tenant == null) {
            return null;
        }
        TenantConfig t = cluster.tenant(tenant);
        if (t != null) {
            return t;
        }
        try {
            return tenants.find(cluster, tenant);
        } catch (RuntimeException e) {
            return null;
        }
    }

    public void put(ClusterConfig cluster) {
        byName.put(cluster.name().toLowerCase(Locale.ROOT), cluster);
    }

    public void remove(String name) {
        byName.remove(name.toLowerCase(Locale.ROOT));
    }

    public ClusterConfig find(String name) {
        return name == null ? null : byName.get(name.toLowerCase(Locale.ROOT));
    }

    public List<ClusterConfig> all() {
        return new ArrayList<>(byName.values());
    }
}
