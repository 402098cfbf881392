/**
 * Cluster topology as policies see it: servers, zones, replicas and their states.
 */
@Export
@Version("1.0.0")
package dev.junction.api.topology;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
