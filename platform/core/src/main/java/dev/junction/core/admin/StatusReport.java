package dev.junction.core.admin;

import dev.junction.core.bundles.BundleStates;
import dev.junction.core.runtime.JunctionRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/** Builds the status text shared by {@code junction:status} and the SQL admin face. */
final class StatusReport {

    /** Service property naming a network endpoint a component listens on, e.g. {@code mysql 0.0.0.0:2883}. */
    static final String ENDPOINT_PROPERTY = dev.junction.core.runtime.Endpoints.PROPERTY;

    /** SPI interfaces whose providers status shows. */
    static final List<String> SPI_TYPES = List.of(
            "dev.junction.api.routing.RoutingPolicy",
            "dev.junction.api.health.DisasterCheck",
            "dev.junction.api.filter.LoginFilter",
            "dev.junction.api.filter.StatementFilter",
            "dev.junction.api.filter.ResultFilter");

    private StatusReport() {
    }

    static String render(BundleContext context, JunctionRuntime runtime) {
        StringBuilder out = new StringBuilder();
        out.append("Junction ").append(runtime.version()).append('\n');
        out.append("home:    ").append(runtime.home()).append('\n');
        out.append("uptime:  ").append(format(runtime.uptime())).append('\n');
        out.append("listen:\n");
        for (String endpoint : endpoints(context)) {
            out.append("  ").append(endpoint).append('\n');
        }
        out.append("bundles:\n");
        for (Bundle b : junctionBundles(context)) {
            out.append(String.format("  %-4d %-40s %-16s %s%n", b.getBundleId(), b.getSymbolicName(), b.getVersion(),
                    BundleStates.name(b.getState())));
            for (String spi : providedSpi(b)) {
                out.append("         provides ").append(spi).append('\n');
            }
        }
        return out.toString();
    }

    static Set<String> endpoints(BundleContext context) {
        Set<String> out = new TreeSet<>();
        try {
            ServiceReference<?>[] refs = context.getAllServiceReferences(null, "(" + ENDPOINT_PROPERTY + "=*)");
            if (refs != null) {
                for (ServiceReference<?> r : refs) {
                    Object v = r.getProperty(ENDPOINT_PROPERTY);
                    if (v instanceof String[]) {
                        out.addAll(List.of((String[]) v));
                    } else {
                        out.add(String.valueOf(v));
                    }
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (out.isEmpty()) {
            out.add("(none)");
        }
        return out;
    }

    /** Junction's own bundles and any bundle that provides an SPI service (e.g. a custom policy). */
    static List<Bundle> junctionBundles(BundleContext context) {
        List<Bundle> out = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            String bsn = b.getSymbolicName();
            if ((bsn != null && bsn.startsWith("dev.junction.")) || !providedSpi(b).isEmpty()) {
                out.add(b);
            }
        }
        return out;
    }

    /** "RoutingPolicy ldc (ranking 100)" for each SPI service the bundle registered. */
    static List<String> providedSpi(Bundle bundle) {
        List<String> out = new ArrayList<>();
        ServiceReference<?>[] refs = bundle.getRegisteredServices();
        if (refs == null) {
            return out;
        }
        for (ServiceReference<?> r : refs) {
            for (String type : (String[]) r.getProperty(Constants.OBJECTCLASS)) {
                if (SPI_TYPES.contains(type)) {
                    Object name = r.getProperty("junction.policy.name");
                    if (name == null) {
                        name = r.getProperty("junction.check.name");
                    }
                    Object ranking = r.getProperty(Constants.SERVICE_RANKING);
                    out.add(type.substring(type.lastIndexOf('.') + 1)
                            + (name == null ? "" : " " + name)
                            + " (ranking " + (ranking == null ? 0 : ranking) + ")");
                }
            }
        }
        return out;
    }

    static String format(Duration d) {
        long s = d.getSeconds();
        return String.format("%dd %02dh %02dm %02ds", s / 86400, (s / 3600) % 24, (s / 60) % 60, s % 60);
    }
}
