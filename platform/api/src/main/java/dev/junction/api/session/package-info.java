/**
 * A read-only view of a client session, and (1.1) the core's {@link dev.junction.api.session.SessionControl}.
 */
@Export
@Version("1.1.0")
package dev.junction.api.session;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
