package dev.junction.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Boots Junction's platform runtime set and all shipped policy bundles in Felix and checks that the
 * platform runs, exposes its SPI services and admin command, listens for MySQL clients, and survives
 * policy bundles being stopped, updated and uninstalled at run time.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PlatformIT {

    private static final long TIMEOUT_MILLIS = 15_000;
    private static final String PROXY_PID = "dev.junction.proxy";

    private static final String ROUTING_POLICY = "dev.junction.api.routing.RoutingPolicy";
    private static final String DISASTER_CHECK = "dev.junction.api.health.DisasterCheck";
    private static final String LOGIN_FILTER = "dev.junction.api.filter.LoginFilter";
    private static final String STATEMENT_FILTER = "dev.junction.api.filter.StatementFilter";

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Inject
    private CommandProcessor commandProcessor;

    /** Runs in the driver JVM: chooses the port and home folder the framework gets. */
    @Configuration
    public Option[] config() {
        return options(
                JunctionOptions.framework(JunctionOptions.newHome(), JunctionOptions.freePort()),
                JunctionOptions.platform(),
                JunctionOptions.policyBundles());
    }

    /** Gives the MySQL listener its configuration (once per framework; later calls find it in place). */
    @Before
    public void configureListener() throws Exception {
        org.osgi.service.cm.Configuration c = configAdmin.getConfiguration(PROXY_PID, "?");
        Dictionary<String, Object> current = c.getProperties();
        if (current == null || !String.valueOf(port()).equals(String.valueOf(current.get("listen_port")))) {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put("listen_host", "127.0.0.1");
            props.put("listen_port", String.valueOf(port()));
            props.put("worker_threads", "1");
            c.update(props);
        }
    }

    // 1
    @Test
    public void everyJunctionBundleIsActive() {
        Map<String, String> states = new TreeMap<>();
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName() != null && b.getSymbolicName().startsWith("dev.junction.")) {
                states.put(b.getSymbolicName(), stateName(b.getState()));
            }
        }
        List<String> expected = new ArrayList<>();
        for (String m : JunctionOptions.PLATFORM_BUNDLES) {
            expected.add("dev.junction." + m);
        }
        for (String p : JunctionOptions.POLICY_BUNDLES) {
            expected.add("dev.junction." + p);
        }
        assertTrue("Junction bundles installed: " + states, states.keySet().containsAll(expected));
        for (Map.Entry<String, String> e : states.entrySet()) {
            assertEquals("state of " + e.getKey() + " (all: " + states + ")", "ACTIVE", e.getValue());
        }
    }

    // 2
    @Test
    public void spiServicesAndStatusCommandAreThere() throws Exception {
        awaitServices(ROUTING_POLICY, "(junction.policy.name=ldc)", 1);
        awaitServices(ROUTING_POLICY, "(junction.policy.name=primary-zone)", 1);
        awaitServices(ROUTING_POLICY, null, 2);
        awaitServices(DISASTER_CHECK, "(junction.check.name=blacklist)", 1);
        awaitServices(LOGIN_FILTER, null, 1);
        awaitServices(STATEMENT_FILTER, null, 1);

        ServiceReference<?>[] commands = context.getAllServiceReferences(null, "(osgi.command.scope=junction)");
        assertNotNull("no service with osgi.command.scope=junction", commands);
        boolean fromCore = false;
        boolean whitelist = false;
        for (ServiceReference<?> r : commands) {
            String bundle = r.getBundle().getSymbolicName();
            List<String> functions = functions(r.getProperty("osgi.command.function"));
            // the core registers junction:status with its other commands, and one service per bundle admin command
            fromCore |= "dev.junction.core".equals(bundle) && functions.contains("status");
            whitelist |= functions.contains("whitelist");
        }
        assertTrue("junction:status is not registered by dev.junction.core", fromCore);
        assertTrue("junction:whitelist (an admin command of whitelist-ratelimit) is not in the shell", whitelist);
        for (String name : List.of("whitelist", "ratelimit")) {
            ServiceReference<?>[] admin = context.getAllServiceReferences("dev.junction.api.admin.AdminCommand",
                    "(junction.admin.command=" + name + ")");
            assertNotNull("no admin command " + name, admin);
            assertEquals("dev.junction.whitelist-ratelimit", admin[0].getBundle().getSymbolicName());
        }

        String status = awaitStatusContaining(endpoint());
        for (String p : JunctionOptions.POLICY_BUNDLES) {
            assertTrue("status does not name dev.junction." + p + ":\n" + status, status.contains("dev.junction." + p));
        }
        assertTrue("status does not show RoutingPolicy ldc:\n" + status, status.contains("RoutingPolicy ldc"));
    }

    // 3
    @Test
    public void mysqlPortAcceptsConnections() {
        awaitMysqlPort();
    }

    // 4
    @Test
    public void stoppingAPolicyBundleRemovesItsServiceOnly() throws Exception {
        Bundle ldc = bundle("dev.junction.routing-ldc");
        String ldcFilter = "(junction.policy.name=ldc)";
        awaitServices(ROUTING_POLICY, ldcFilter, 1);
        try {
            ldc.stop();
            assertEquals(Bundle.RESOLVED, ldc.getState());
            awaitNoServices(ROUTING_POLICY, ldcFilter);
            awaitServices(ROUTING_POLICY, "(junction.policy.name=primary-zone)", 1);
            assertPlatformRuns();
            String status = status();
            assertTrue("status no longer lists the stopped bundle:\n" + status, status.contains("dev.junction.routing-ldc"));
            assertFalse("status still shows the stopped bundle's policy:\n" + status, status.contains("RoutingPolicy ldc"));
        } finally {
            ldc.start();
        }
        assertEquals(Bundle.ACTIVE, ldc.getState());
        awaitServices(ROUTING_POLICY, ldcFilter, 1);
        assertPlatformRuns();
    }

    // 5
    @Test
    public void updatingAPolicyBundleRegistersItsServiceAgain() throws Exception {
        Bundle pz = bundle("dev.junction.routing-primaryzone");
        String pzFilter = "(junction.policy.name=primary-zone)";
        ServiceReference<?> before = awaitServices(ROUTING_POLICY, pzFilter, 1).get(0);
        long oldServiceId = (Long) before.getProperty(Constants.SERVICE_ID);
        BundleRevision oldRevision = pz.adapt(BundleRevision.class);

        try (InputStream jar = new URL(bundleUrl("routing-primaryzone")).openStream()) {
            pz.update(jar);
        }

        assertEquals("bundle state after update", "ACTIVE", stateName(pz.getState()));
        assertNotSame("the bundle still has its old revision", oldRevision, pz.adapt(BundleRevision.class));
        ServiceReference<?> after = await(() -> "a new RoutingPolicy primary-zone after the update", () -> {
            for (ServiceReference<?> r : references(ROUTING_POLICY, pzFilter)) {
                if ((Long) r.getProperty(Constants.SERVICE_ID) != oldServiceId) {
                    return r;
                }
            }
            return null;
        });
        assertEquals(pz.getBundleId(), after.getBundle().getBundleId());
        assertNotEquals(oldServiceId, after.getProperty(Constants.SERVICE_ID));
        assertTrue("the pre-update service is still registered", before.getBundle() == null);
        assertPlatformRuns();
    }

    // 6
    @Test
    public void uninstallingAndReinstallingAPolicyBundle() throws Exception {
        String name = "ha-blacklist";
        String blacklist = "(junction.check.name=blacklist)";
        Bundle b = bundle("dev.junction." + name);
        awaitServices(DISASTER_CHECK, blacklist, 1);
        long oldId = b.getBundleId();

        b.uninstall();
        Bundle again;
        try {
            assertEquals(Bundle.UNINSTALLED, b.getState());
            awaitNoServices(DISASTER_CHECK, blacklist);
            assertTrue("services of the uninstalled bundle remain",
                    references(null, "(" + Constants.SERVICE_BUNDLEID + "=" + oldId + ")").isEmpty());
            assertTrue("an uninstalled bundle is still listed", findBundle("dev.junction." + name) == null);
            assertPlatformRuns();
            assertFalse("status still names the uninstalled bundle", status().contains("dev.junction." + name));
        } finally {
            // reinstall even when an assertion failed, so the other tests find the bundle
            again = context.installBundle(bundleUrl(name));
            again.start();
        }
        assertEquals(Bundle.ACTIVE, again.getState());
        assertNotEquals(oldId, again.getBundleId());
        List<ServiceReference<?>> checks = awaitServices(DISASTER_CHECK, blacklist, 1);
        assertEquals(again.getBundleId(), checks.get(0).getBundle().getBundleId());
        assertPlatformRuns();
        String status = status();
        assertTrue("status does not name the reinstalled bundle:\n" + status, status.contains("dev.junction." + name));
    }

    // 7
    /** A RoutingPolicy registered from outside the core is consulted at once and named by junction:route. */
    @Test
    public void junctionRouteNamesARegisteredPolicy() throws Exception {
        org.osgi.service.cm.Configuration cluster = configAdmin.createFactoryConfiguration("dev.junction.cluster", "?");
        Hashtable<String, Object> c = new Hashtable<>();
        c.put("name", "itcluster");
        c.put("zones", "z1");
        c.put("zone.z1.servers", "127.0.0.1:3306");
        c.put("tenants", "ittenant");
        cluster.update(c);
        // the API classes as the core sees them (the probe does not import them)
        Bundle api = bundle("dev.junction.api");
        Class<?> policyType = api.loadClass(ROUTING_POLICY);
        Class<?> decisionType = api.loadClass("dev.junction.api.routing.RouteDecision");
        Object abstain = decisionType.getMethod("abstain").invoke(null);
        Object policy = java.lang.reflect.Proxy.newProxyInstance(policyType.getClassLoader(), new Class<?>[] {policyType},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "route": return abstain;
                        case "hashCode": return System.identityHashCode(proxy);
                        case "equals": return proxy == args[0];
                        default: return "it-policy";
                    }
                });
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("junction.policy.name", "it-probe-policy");
        props.put(Constants.SERVICE_RANKING, 10_000);
        org.osgi.framework.ServiceRegistration<?> reg = context.registerService(ROUTING_POLICY, policy, props);
        try {
            String[] last = {""};
            awaitTrue(() -> "junction:route naming it-probe-policy; last output:\n" + last[0], () -> {
                try {
                    last[0] = gogo("junction:route \"SELECT 1\" app@ittenant#itcluster");
                } catch (Exception e) {
                    last[0] = e.toString();
                }
                return last[0].contains("it-probe-policy") && last[0].contains("abstained");
            });
        } finally {
            reg.unregister();
            cluster.delete();
        }
        String after = gogo("junction:route \"SELECT 1\" app@ittenant#itcluster");
        assertFalse("unregistered policies are not consulted:\n" + after, after.contains("it-probe-policy"));
    }

    // 8
    /**
     * The ha-blacklist bundle in Felix: a configured server nothing listens on (a stopped server) fails its probes
     * (through the core's ServerControl), lands in the detect blacklist, and junction:blacklist and
     * junction:congestion both show it vetoed for the same reason.
     */
    @Test
    public void theBlacklistBundleBlacklistsAStoppedServer() throws Exception {
        int stopped = JunctionOptions.freePort();
        String server = "127.0.0.1:" + stopped;
        org.osgi.service.cm.Configuration blacklist = configAdmin.getConfiguration("dev.junction.blacklist", "?");
        Hashtable<String, Object> settings = new Hashtable<>();
        settings.put("detect_interval", "200ms");
        settings.put("detect_timeout", "1s");
        blacklist.update(settings);
        org.osgi.service.cm.Configuration cluster = configAdmin.createFactoryConfiguration("dev.junction.cluster", "?");
        Hashtable<String, Object> c = new Hashtable<>();
        c.put("name", "bl");
        c.put("zones", "z1");
        c.put("zone.z1.servers", server);
        c.put("tenants", "t");
        c.put("metadata.user", "proxyro");
        cluster.update(c);
        try {
            String[] last = {""};
            awaitTrue(() -> "junction:blacklist showing " + server + " in the detect list; last output:\n" + last[0], () -> {
                try {
                    last[0] = gogo("junction:blacklist");
                } catch (Exception e) {
                    last[0] = e.toString();
                }
                for (String line : last[0].split("\n")) {
                    if (line.contains(server) && line.contains("detect") && line.contains("DETECT_DEAD")) {
                        return true;
                    }
                }
                return false;
            });
            String congestion = gogo("junction:congestion");
            boolean vetoed = false;
            for (String line : congestion.split("\n")) {
                vetoed |= line.contains(server) && line.contains("veto (detect: DETECT_DEAD");
            }
            assertTrue("junction:congestion shows the veto:\n" + congestion, vetoed);
            String added = gogo("junction:blacklist add 127.0.0.1:1 it-test");
            assertTrue(added, added.contains("blacklisted by hand"));
            String removed = gogo("junction:blacklist remove 127.0.0.1:1");
            assertTrue(removed, removed.contains("removed from: manual"));
        } finally {
            cluster.delete();
            blacklist.delete();
        }
        assertPlatformRuns();
    }

    // ---- helpers

    /** The core is active, the MySQL port accepts connections and junction:status answers with the endpoint. */
    private void assertPlatformRuns() throws Exception {
        assertEquals("dev.junction.core state", "ACTIVE", stateName(bundle("dev.junction.core").getState()));
        awaitMysqlPort();
        awaitStatusContaining(endpoint());
    }

    /** Waits until the port takes a connection and answers with a MySQL packet (handshake or error). */
    private void awaitMysqlPort() {
        int port = port();
        String[] last = {"no attempt"};
        awaitTrue(() -> "MySQL listener on 127.0.0.1:" + port + " answering (last: " + last[0] + ")", () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                s.setSoTimeout(2000);
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte[] header = new byte[4];
                in.readFully(header);
                int length = (header[0] & 0xff) | (header[1] & 0xff) << 8 | (header[2] & 0xff) << 16;
                int first = in.read();
                // 0x0a: protocol-10 handshake; 0xff: error packet
                last[0] = "packet of " + length + " bytes, seq " + header[3] + ", first byte " + first;
                return length > 0 && header[3] == 0 && (first == 0x0a || first == 0xff);
            } catch (IOException e) {
                last[0] = e.toString();
                return false;
            }
        });
    }

    private String awaitStatusContaining(String text) {
        String[] last = {""};
        awaitTrue(() -> "junction:status showing '" + text + "'; last output:\n" + last[0], () -> {
            try {
                last[0] = status();
            } catch (Exception e) {
                last[0] = e.toString();
            }
            return last[0].contains(text);
        });
        return last[0];
    }

    /** Runs a gogo command line; returns what it returned as text. */
    private String gogo(String line) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CommandSession session = commandProcessor.createSession(InputStream.nullInputStream(), out, out);
        try {
            return String.valueOf(session.execute(line));
        } finally {
            session.close();
        }
    }

    /** Runs {@code junction:status} through the gogo command processor. */
    private String status() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CommandSession session = commandProcessor.createSession(InputStream.nullInputStream(), out, out);
        try {
            Object result = session.execute("junction:status");
            assertNotNull("junction:status returned nothing", result);
            return String.valueOf(result);
        } finally {
            session.close();
        }
    }

    private List<ServiceReference<?>> awaitServices(String type, String filter, int atLeast) {
        return await(() -> "at least " + atLeast + " " + type + " " + (filter == null ? "" : filter), () -> {
            List<ServiceReference<?>> refs = references(type, filter);
            return refs.size() >= atLeast ? refs : null;
        });
    }

    private void awaitNoServices(String type, String filter) {
        awaitTrue(() -> "no " + type + " " + filter, () -> references(type, filter).isEmpty());
    }

    /** Services of a type (or any type when null) matching a filter, through a tracker opened for the call. */
    private List<ServiceReference<?>> references(String type, String filter) {
        String f = type == null ? filter
                : filter == null ? "(" + Constants.OBJECTCLASS + "=" + type + ")"
                : "(&(" + Constants.OBJECTCLASS + "=" + type + ")" + filter + ")";
        Filter osgiFilter;
        try {
            osgiFilter = FrameworkUtil.createFilter(f);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(f, e);
        }
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, osgiFilter, null);
        tracker.open(true);
        try {
            ServiceReference<Object>[] refs = tracker.getServiceReferences();
            List<ServiceReference<?>> out = new ArrayList<>();
            if (refs != null) {
                out.addAll(List.of(refs));
            }
            return out;
        } finally {
            tracker.close();
        }
    }

    private Bundle bundle(String symbolicName) {
        Bundle b = findBundle(symbolicName);
        assertNotNull(symbolicName + " is not installed", b);
        return b;
    }

    private Bundle findBundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }

    private int port() {
        return Integer.parseInt(context.getProperty(JunctionOptions.PORT_PROPERTY));
    }

    private String endpoint() {
        return "mysql 127.0.0.1:" + port();
    }

    private String bundleUrl(String name) {
        String url = context.getProperty(JunctionOptions.BUNDLE_URL_PREFIX + name);
        assertNotNull("no file URL for bundle " + name, url);
        return url;
    }

    private static List<String> functions(Object property) {
        if (property instanceof String[]) {
            return List.of((String[]) property);
        }
        return property == null ? List.of() : List.of(String.valueOf(property));
    }

    private static String stateName(int state) {
        switch (state) {
            case Bundle.UNINSTALLED: return "UNINSTALLED";
            case Bundle.INSTALLED: return "INSTALLED";
            case Bundle.RESOLVED: return "RESOLVED";
            case Bundle.STARTING: return "STARTING";
            case Bundle.STOPPING: return "STOPPING";
            case Bundle.ACTIVE: return "ACTIVE";
            default: return "UNKNOWN(" + state + ")";
        }
    }

    private static void awaitTrue(Supplier<String> what, BooleanSupplier condition) {
        await(what, () -> condition.getAsBoolean() ? Boolean.TRUE : null);
    }

    /** Polls {@code probe} until it returns non-null, at most {@link #TIMEOUT_MILLIS}. */
    private static <T> T await(Supplier<String> what, Supplier<T> probe) {
        long deadline = System.nanoTime() + TIMEOUT_MILLIS * 1_000_000;
        long pause = 10;
        while (true) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                fail("timed out after " + TIMEOUT_MILLIS + " ms waiting for " + what.get());
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what.get(), e);
            }
            pause = Math.min(pause * 2, 200);
        }
    }
}
