/**
 * Middleware filters at the login, statement and result stages.
 */
@Export
@Version("1.0.0")
package dev.junction.api.filter;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
