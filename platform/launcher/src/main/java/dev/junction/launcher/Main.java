package dev.junction.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * Boots Junction: reads {@code etc/config.properties} (framework properties) and
 * {@code etc/startup.properties} (the platform bundles, in start order), starts Felix and waits
 * until it stops. {@code --console} also starts the interactive gogo shell from
 * {@code system/console/}.
 */
public final class Main {

    /** Property of the marker service registered once every platform bundle was started. */
    public static final String STARTUP_COMPLETE = "junction.startup.complete";

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        long t0 = System.currentTimeMillis();
        boolean console = List.of(args).contains("--console");
        Path home = Path.of(System.getProperty("junction.home", ".")).toAbsolutePath().normalize();

        Map<String, String> props;
        List<Path> startup;
        try {
            props = FrameworkProperties.load(home, home.resolve("etc/config.properties"));
            startup = StartupList.load(home, home.resolve("etc/startup.properties"));
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("junction: cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        props.put("junction.home", home.toString());
        props.put("junction.start.millis", Long.toString(t0));
        props.put("junction.console", Boolean.toString(console));
        if (console) {
            props.put("gosh.args", ""); // interactive: the shell owns the terminal; 'exit' stops Junction
            startup = new ArrayList<>(startup);
            startup.addAll(StartupList.folder(home.resolve("system/console")));
        }

        Framework framework = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(props);
        framework.init();
        if (Boolean.getBoolean("junction.launcher.trace")) {
            System.out.printf("junction: framework initialised at %d ms%n", System.currentTimeMillis() - t0);
        }
        List<Bundle> installed = install(framework.getBundleContext(), startup);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(framework), "junction-shutdown"));
        framework.start();
        boolean trace = Boolean.getBoolean("junction.launcher.trace");
        if (trace) {
            System.out.printf("junction: %d bundles installed at %d ms%n", installed.size(), System.currentTimeMillis() - t0);
        }
        for (Bundle b : installed) {
            long b0 = System.nanoTime();
            start(b);
            if (trace) {
                System.out.printf("junction: started %s in %d ms%n", b.getSymbolicName(), (System.nanoTime() - b0) / 1_000_000);
            }
        }
        // Components that must know when every platform bundle has started (e.g. to apply defaults for
        // missing etc/ files) wait for this marker service.
        java.util.Hashtable<String, Object> marker = new java.util.Hashtable<>();
        marker.put(STARTUP_COMPLETE, Boolean.TRUE);
        framework.getBundleContext().registerService(Object.class, new Object(), marker);
        System.out.printf("junction: platform started in %d ms (%d bundles)%n", System.currentTimeMillis() - t0, installed.size());
        framework.waitForStop(0);
        System.exit(0);
    }

    private static List<Bundle> install(BundleContext context, List<Path> jars) {
        List<Bundle> out = new ArrayList<>();
        for (Path jar : jars) {
            try {
                // reference: makes Felix use the jar where it lies instead of copying it into the cache
                out.add(context.installBundle("reference:" + jar.toUri()));
            } catch (BundleException e) {
                System.err.println("junction: cannot install " + jar + ": " + e.getMessage());
            }
        }
        return out;
    }

    private static void start(Bundle b) {
        if (b.getHeaders().get(Constants.FRAGMENT_HOST) != null) {
            return; // fragments attach to their host; they are never started
        }
        try {
            b.start();
        } catch (BundleException e) {
            System.err.println("junction: cannot start " + b.getLocation() + ": " + e.getMessage());
        }
    }

    private static void stop(Framework framework) {
        try {
            if (framework.getState() == Bundle.ACTIVE || framework.getState() == Bundle.STARTING) {
                framework.stop();
                framework.waitForStop(15_000);
            }
        } catch (Exception e) {
            System.err.println("junction: error while stopping: " + e);
        }
    }

}
