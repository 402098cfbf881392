/**
 * Cluster topology as policies see it: servers, zones, replicas and their states;
 * {@link dev.junction.api.topology.TenantDirectory} tells tenant facts such as the primary zone.
 */
@Export
@Version("1.1.0")
package dev.junction.api.topology;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
