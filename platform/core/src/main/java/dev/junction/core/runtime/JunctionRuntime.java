package dev.junction.core.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.LoggerFactory;

/**
 * Facts about the running Junction instance: version, home folder, uptime.
 */
@Component(service = JunctionRuntime.class, immediate = true)
public class JunctionRuntime {


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
        LoggerFactory.getLogger(JunctionRuntime.class).info("Junction {} starting in {}", version, home);
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

    /** Runtime state such as the bound port files the control script reads. */
    public Path data() {
        return home.resolve("data");
    }

    public Instant started() {
        return started;
    }

    public Duration uptime() {
        return Duration.between(started, Instant.now());
    }
}
