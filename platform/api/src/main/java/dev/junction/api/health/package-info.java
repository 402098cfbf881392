/**
 * Disaster checks: veto or demote servers and learn of every success and failure of real traffic.
 */
@Export
@Version("1.0.0")
package dev.junction.api.health;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
