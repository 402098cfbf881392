/**
 * Disaster checks: veto or demote servers and learn of every success and failure of real traffic;
 * {@link dev.junction.api.health.ServerControl} lets them probe servers and drop connections.
 */
@Export
@Version("1.1.0")
package dev.junction.api.health;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
