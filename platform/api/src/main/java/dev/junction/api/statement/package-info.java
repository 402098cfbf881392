/**
 * What the core's light analysis learned about a statement.
 */
@Export
@Version("1.2.0")
package dev.junction.api.statement;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
