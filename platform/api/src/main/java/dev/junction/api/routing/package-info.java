/**
 * Routing policies: order the candidate replicas for a statement, or abstain.
 */
@Export
@Version("1.1.0")
package dev.junction.api.routing;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
