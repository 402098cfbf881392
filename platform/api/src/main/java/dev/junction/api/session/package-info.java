/**
 * A read-only view of a client session.
 */
@Export
@Version("1.0.0")
package dev.junction.api.session;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
