package dev.junction.primaryzone;

import dev.junction.api.routing.RouteDecision;
import dev.junction.api.routing.RouteRequest;
import dev.junction.api.routing.RoutingPolicy;
import dev.junction.api.session.SessionInfo;
import dev.junction.api.topology.Replica;
import dev.junction.api.topology.TenantDirectory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Primary-zone routing: strong reads and writes whose location is unknown (no candidate is a leader, e.g.
 * statements naming no table, or tables the metadata cannot locate) go to the tenant's primary zone, its first
 * priority group first. The primary zone comes from {@code etc/dev.junction.primaryzone.cfg} (global override,
 * then per tenant) or else from the metadata ({@link TenantDirectory}). Abstains for weak reads, for statements
 * whose leader is known, for tenants without a (valid) primary zone and when switched off.
 *
 * <p>Ranked above routing-ldc (200 against 100): for a strong statement without location the primary zone wins,
 * and LDC orders what the primary zone leaves open.
 */
@Component(configurationPid = PrimaryZoneConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {RoutingPolicy.NAME_PROPERTY + "=primary-zone", "service.ranking:Integer=200"})
public class PrimaryZoneRoutingPolicy implements RoutingPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(PrimaryZoneRoutingPolicy.class);
    private static final long LOG_INTERVAL_NANOS = 60_000_000_000L;

    private final TenantDirectory directory;
    private volatile PrimaryZoneConfig config = PrimaryZoneConfig.DEFAULT;
    /** Parsed metadata strings: a PrimaryZone or the Malformed problem. */
    private final Map<String, Object> parsed = new ConcurrentHashMap<>();
    private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();

    @Activate
    public PrimaryZoneRoutingPolicy(@Reference TenantDirectory directory, Map<String, Object> properties) {
        this.directory = directory;
        configure(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        configure(properties);
    }

    /**
     * Applies a configuration when it is valid as a whole; otherwise logs one line naming the file, the key and
     * the problem, keeps the current one, and returns the problem.
     */
    public String configure(Map<String, ?> properties) {
        try {
            PrimaryZoneConfig next = PrimaryZoneConfig.parse(properties);
            config = next;
            LOG.info("Primary-zone routing {}: global override {}, {} tenant primary zones from {}",
                    next.enabled ? "on" : "off", next.override == null ? "none" : next.override,
                    next.tenantZones.size(), PrimaryZoneConfig.FILE);
            return null;
        } catch (PrimaryZoneConfig.Invalid e) {
            LOG.error("Refusing the new primary-zone settings, the previous ones stay: {}", e.getMessage());
            return e.getMessage();
        }
    }

    @Override
    public RouteDecision route(RouteRequest request) {
        if (request.weakRead()) {
            return RouteDecision.abstain();
        }
        List<Replica> candidates = request.candidates();
        for (int i = 0; i < candidates.size(); i++) {
            if (candidates.get(i).isLeader()) {
                return RouteDecision.abstain(); // location known: the leader serves it
            }
        }
        SessionInfo s = request.session();
        PrimaryZoneConfig cfg = config;
        if (!cfg.enabledFor(s.tenant(), s.cluster())) {
            return RouteDecision.abstain();
        }
        PrimaryZone pz = cfg.configured(s.tenant(), s.cluster());
        String from = "config";
        if (pz == null) {
            pz = fromMetadata(s.cluster(), s.tenant());
            from = "metadata";
            if (pz == null) {
                return RouteDecision.abstain();
            }
        }
        List<List<String>> groups = pz.groups();
        if (groups.isEmpty()) {
            return RouteDecision.abstain(); // RANDOM: no zone preferred
        }
        List<Replica> ordered = new ArrayList<>(candidates.size());
        for (int g = 0; g < groups.size(); g++) {
            for (int i = 0; i < candidates.size(); i++) {
                Replica r = candidates.get(i);
                if (pz.priorityOf(r.zone().name()) == g) {
                    ordered.add(r);
                }
            }
        }
        if (ordered.isEmpty()) {
            return RouteDecision.abstain();
        }
        PrimaryZone zone = pz;
        String source = from;
        // built only for explain route
        return RouteDecision.prefer(ordered, () -> explain(zone, source, s.tenant(), candidates));
    }

    private static String explain(PrimaryZone pz, String from, String tenant, List<Replica> candidates) {
        StringBuilder why = new StringBuilder("primary zone ").append(pz).append(" of tenant ").append(tenant)
                .append(" (").append(from).append(")");
        List<List<String>> groups = pz.groups();
        int placed = 0;
        for (int g = 0; g < groups.size(); g++) {
            List<Replica> in = new ArrayList<>();
            for (Replica r : candidates) {
                if (pz.priorityOf(r.zone().name()) == g) {
                    in.add(r);
                }
            }
            placed += in.size();
            why.append(g == 0 ? ": " : "; then ").append(String.join(",", groups.get(g))).append(' ')
                    .append(in.isEmpty() ? "[no server]" : servers(in));
        }
        if (placed < candidates.size()) {
            why.append("; then the other zones");
        }
        return why.toString();
    }

    private PrimaryZone fromMetadata(String cluster, String tenant) {
        String text = directory.primaryZone(cluster, tenant);
        if (text == null || text.isEmpty()) {
            return null;
        }
        Object p = parsed.get(text);
        if (p == null) {
            try {
                p = PrimaryZone.parse(text);
            } catch (PrimaryZone.Malformed m) {
                p = m.getMessage();
            }
            if (parsed.size() > 10_000) {
                parsed.clear();
            }
            parsed.put(text, p);
        }
        if (p instanceof PrimaryZone z) {
            return z;
        }
        String key = cluster + "/" + tenant;
        long now = System.nanoTime();
        Long last = lastLogged.get(key);
        if (last == null || now - last > LOG_INTERVAL_NANOS) {
            lastLogged.put(key, now);
            LOG.warn("Tenant {} of cluster {}: malformed primary zone in the metadata, the core's default order applies: {}",
                    tenant, cluster, p);
        }
        return null;
    }

    private static String servers(List<Replica> rs) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < rs.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(rs.get(i).server());
        }
        return b.append(']').toString();
    }
}
