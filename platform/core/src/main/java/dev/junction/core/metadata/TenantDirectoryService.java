package dev.junction.core.metadata;

import dev.junction.api.topology.TenantDirectory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The core's {@link TenantDirectory}: reads each cluster's current metadata snapshot (no I/O). */
@Component(service = TenantDirectory.class)
public final class TenantDirectoryService implements TenantDirectory {

    private final MetadataService metadata;

    @Activate
    public TenantDirectoryService(@Reference MetadataService metadata) {
        this.metadata = metadata;
    }

    @Override
    public String primaryZone(String cluster, String tenant) {
        ClusterMetadata c = metadata.find(cluster);
        if (c == null || tenant == null) {
            return "";
        }
        String pz = c.primaryZone(tenant);
        return pz == null ? "" : pz;
    }
}
