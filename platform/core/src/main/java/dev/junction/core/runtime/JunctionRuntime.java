package dev.junction.core.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Facts about the running Junction instance: version, home folder, uptime. Checks at start that the
 * {@code etc/} files Junction expects are there, and names any that is missing.
 */
@Component(service = JunctionRuntime.class, immediate = true)
public class JunctionRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(JunctionRuntime.class);

    /** Configuration files every distribution ships; a missing one falls back to built-in defaults. */
    static final List<String> EXPECTED_ETC_FILES = List.of(
            "config.properties", "startup.properties", "dev.junction.proxy.cfg", "dev.junction.ssh.cfg",
            "org.ops4j.pax.logging.cfg");

    private final String version;
    private final Path home;
    private final Instant started;

    @Activate
    public JunctionRuntime(BundleContext context) {
        this.version = context.getBundle().getVersion().toString();
        String homeProp = context.getProperty("junction.home");
        this.home = Path.of(homeProp == null ? "." : homeProp).toAbsolutePath().normalize();
        String launched = context.getProperty("junction.start.millis");
        this.started = launched == null ? Instant.now() : Instant.ofEpochMilli(Long.parseLong(launched));
        if (homeProp != null) {
            for (String name : EXPECTED_ETC_FILES) {
                Path file = etc().resolve(name);
                if (!Files.isRegularFile(file)) {
                    LOG.warn("Configuration file {} is missing: built-in defaults apply for it", file);
                }
            }
        }
    }

    public String version() {
        return version;
    }

    public Path home() {
        return home;
    }

    public Path etc() {
        return home.resolve("etc");
    }

    public Instant started() {
        return started;
    }

    public Duration uptime() {
        return Duration.between(started, Instant.now());
    }
}
