/**
 * Admin commands contributed by bundles: one command, two faces (the {@code junction:} shell and SQL as
 * {@code root@proxysys}).
 */
@Export
@Version("1.0.0")
package dev.junction.api.admin;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
