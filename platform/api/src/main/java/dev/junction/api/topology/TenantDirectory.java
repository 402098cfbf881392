package dev.junction.api.topology;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Tenant facts the core knows from each cluster's metadata (OceanBase's {@code __all_tenant}) or its cluster
 * configuration ({@code tenant.<name>.primary_zone}), for policies that route by them. The core registers one
 * instance as an OSGi service. Every method returns at once (a read of the current metadata snapshot) and may be
 * called on a network event loop.
 *
 * @since 1.1
 */
@ProviderType
public interface TenantDirectory {

    /**
     * A tenant's primary zone as the metadata states it, e.g. {@code z1;z2,z3} ({@code ;} separates priority
     * groups, {@code ,} joins zones of equal priority); empty when unknown. Not validated: callers parse it.
     */
    String primaryZone(String cluster, String tenant);
}
