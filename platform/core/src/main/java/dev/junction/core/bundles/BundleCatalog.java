package dev.junction.core.bundles;

import dev.junction.core.runtime.JunctionRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enables and disables shipped bundles. A shipped bundle lives in {@code bundles/NAME.jar}; enabling
 * copies it into the watched {@code deploy/} folder, where File Install installs and starts it, so
 * the choice is a file and survives restarts. Disabling removes it from {@code deploy/}.
 */
@Component(service = BundleCatalog.class)
public class BundleCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(BundleCatalog.class);
    private static final long WAIT_MILLIS = 15_000;

    private final BundleContext context;
    private final Path shipped;
    private final Path deploy;

    @Activate
    public BundleCatalog(BundleContext context, @Reference JunctionRuntime runtime) {
        this.context = context;
        this.shipped = runtime.home().resolve("bundles");
        this.deploy = runtime.home().resolve("deploy");
    }

    /** One shipped bundle and whether it is enabled. */
    public record Entry(String name, boolean enabled, Optional<Bundle> bundle) {
    }

    /** Every shipped bundle, sorted by name. */
    public List<Entry> entries() throws IOException {
        List<Entry> out = new ArrayList<>();
        if (!Files.isDirectory(shipped)) {
            return out;
        }
        try (Stream<Path> files = Files.list(shipped)) {
            for (Path jar : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".jar")).sorted()::iterator) {
                String name = nameOf(jar);
                out.add(new Entry(name, Files.exists(deploy.resolve(jar.getFileName())), installed(name)));
            }
        }
        return out;
    }

    /** Enables {@code name} and waits until its bundle is active. Returns a line for the operator. */
    public String enable(String name) throws IOException, InterruptedException {
        Path source = shippedJar(name);
        Path target = deploy.resolve(source.getFileName());
        if (Files.exists(target)) {
            return name + " is already enabled";
        }
        Files.createDirectories(deploy);
        Path tmp = deploy.resolve("." + source.getFileName() + ".tmp");
        Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
        // The watcher ignores dot-files; the rename makes the jar appear whole.
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        LOG.info("Enabled bundle {} ({} -> {})", name, source, target);
        Optional<Bundle> bundle = await(name, true);
        return bundle.map(b -> name + " enabled: " + b.getSymbolicName() + " " + b.getVersion() + " " + BundleStates.name(b.getState()))
                .orElse(name + " enabled (copied to deploy/); not active yet, see log/junction.log");
    }

    /** Disables {@code name} and waits until its bundle is gone. */
    public String disable(String name) throws IOException, InterruptedException {
        Path source = shippedJar(name);
        Path target = deploy.resolve(source.getFileName());
        if (!Files.deleteIfExists(target)) {
            return name + " is not enabled";
        }
        LOG.info("Disabled bundle {} (removed {})", name, target);
        return await(name, false).isEmpty() ? name + " disabled" : name + " disabled (removed from deploy/); still installed, see log/junction.log";
    }

    private Path shippedJar(String name) {
        Path jar = shipped.resolve(name + ".jar");
        if (!name.matches("[A-Za-z0-9._-]+") || !Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no shipped bundle named '" + name + "' (see junction:bundles)");
        }
        return jar;
    }

    private Optional<Bundle> await(String name, boolean present) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            Optional<Bundle> b = installed(name);
            if (present ? b.filter(x -> x.getState() == Bundle.ACTIVE).isPresent() : b.isEmpty()) {
                return b;
            }
            Thread.sleep(100); // File Install polls the folder; nothing to wait on but its effect
        }
        return installed(name);
    }

    /** The installed bundle that came from {@code deploy/NAME.jar}, if any. */
    private Optional<Bundle> installed(String name) {
        String suffix = "/deploy/" + name + ".jar";
        for (Bundle b : context.getBundles()) {
            if (b.getLocation().replace('\\', '/').endsWith(suffix)) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }

    private static String nameOf(Path jar) {
        String f = jar.getFileName().toString();
        return f.substring(0, f.length() - ".jar".length());
    }
}
