package dev.junction.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemPackages;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ops4j.pax.exam.Option;

/**
 * Pax Exam options that boot Junction's platform runtime set (as listed in the distribution's
 * {@code etc/startup.properties}) plus the shipped policy bundles, in a native Felix framework.
 *
 * <p>Junction's own bundles come from the reactor's {@code target/} folders by {@code file:} URL, so a
 * test never runs an older SNAPSHOT from the local repository; third-party bundles are {@code mvn:}
 * URLs resolved offline from the local repository, with the versions the pom declares.
 */
public final class JunctionOptions {

    /** Framework property: the MySQL listen port the test configures. */
    public static final String PORT_PROPERTY = "junction.itest.mysql.port";
    /** Framework property prefix: {@code junction.itest.bundle.<name>} is the file URL of policy bundle {@code <name>}. */
    public static final String BUNDLE_URL_PREFIX = "junction.itest.bundle.";
    /** The shipped policy bundles: module folder under {@code bundles/}, artifact {@code junction-<name>}, symbolic name {@code dev.junction.<name>}. */
    public static final List<String> POLICY_BUNDLES =
            List.of("routing-ldc", "routing-primaryzone", "ha-blacklist", "sharding", "whitelist-ratelimit");
    /** The platform's own bundles: module folder under {@code platform/}. */
    public static final List<String> PLATFORM_BUNDLES = List.of("api", "core", "ssh");

    private JunctionOptions() {
    }

    /**
     * The platform runtime set, in the distribution's start order. Logging starts at level 1, before
     * Pax Exam's own bundles (level 2), so their log goes through it too.
     */
    public static Option platform() {
        return composite(
                mavenBundle("org.ops4j.pax.logging", "pax-logging-api").versionAsInProject().startLevel(1),
                mavenBundle("org.ops4j.pax.logging", "pax-logging-log4j2").versionAsInProject().startLevel(1),
                mavenBundle("org.osgi", "org.osgi.util.function").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.util.promise").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.service.component").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.configadmin").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.scr").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.gogo.runtime").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.gogo.command").versionAsInProject(),
                mavenBundle("io.netty", "netty-common").versionAsInProject(),
                mavenBundle("io.netty", "netty-buffer").versionAsInProject(),
                mavenBundle("io.netty", "netty-resolver").versionAsInProject(),
                mavenBundle("io.netty", "netty-transport").versionAsInProject(),
                mavenBundle("io.netty", "netty-transport-native-unix-common").versionAsInProject(),
                mavenBundle("io.netty", "netty-transport-classes-epoll").versionAsInProject(),
                mavenBundle("io.netty", "netty-transport-native-epoll").classifier("linux-x86_64").versionAsInProject().noStart(),
                mavenBundle("io.netty", "netty-codec").versionAsInProject(),
                mavenBundle("io.netty", "netty-handler").versionAsInProject(),
                mavenBundle("org.apache.sshd", "sshd-osgi").versionAsInProject(),
                bundle(platformJarUrl("api")),
                bundle(platformJarUrl("core")),
                bundle(platformJarUrl("ssh")));
    }

    /** Every shipped policy bundle, installed and started. */
    public static Option policyBundles() {
        List<Option> out = new ArrayList<>();
        for (String name : POLICY_BUNDLES) {
            String url = policyJarUrl(name);
            out.add(bundle(url));
            out.add(frameworkProperty(BUNDLE_URL_PREFIX + name).value(url));
        }
        return composite(out.toArray(new Option[0]));
    }

    /** Framework settings: Junction's home folder, the listen port for the test, JDK packages Netty may use. */
    public static Option framework(Path home, int mysqlPort) {
        return composite(
                frameworkProperty("junction.home").value(home.toString()),
                frameworkProperty(PORT_PROPERTY).value(String.valueOf(mysqlPort)),
                frameworkProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"),
                systemPackages("sun.misc", "sun.nio.ch"),
                junitBundles());
    }

    /** A fresh Junction home folder under {@code target/}. */
    public static Path newHome() {
        try {
            Path target = Files.createDirectories(Path.of("target"));
            Path home = Files.createTempDirectory(target, "junction-home-");
            Files.createDirectories(home.resolve("etc"));
            Files.createDirectories(home.resolve("deploy"));
            return home.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A TCP port free right now on the loopback interface. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String platformJarUrl(String module) {
        return jarUrl(new File(root(), "platform/" + module), "junction-" + module);
    }

    static String policyJarUrl(String name) {
        return jarUrl(new File(root(), "bundles/" + name), "junction-" + name);
    }

    private static String jarUrl(File moduleDir, String artifactId) {
        File jar = new File(moduleDir, "target/" + artifactId + "-" + version() + ".jar");
        if (!jar.isFile()) {
            throw new IllegalStateException(jar + " does not exist: build the reactor first (mvn install -DskipTests)");
        }
        return jar.getAbsoluteFile().toURI().toString();
    }

    private static File root() {
        return new File(System.getProperty("junction.root", "..")).getAbsoluteFile();
    }

    private static String version() {
        String v = System.getProperty("junction.version");
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("system property junction.version is not set (the itests pom sets it for failsafe)");
        }
        return v;
    }
}
