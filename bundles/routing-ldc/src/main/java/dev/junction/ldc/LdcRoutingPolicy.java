package dev.junction.ldc;

import dev.junction.api.health.ServerControl;
import dev.junction.api.routing.RouteDecision;
import dev.junction.api.routing.RouteRequest;
import dev.junction.api.routing.RoutingPolicy;
import dev.junction.api.session.SessionInfo;
import dev.junction.api.topology.Replica;
import dev.junction.api.topology.ReplicaRole;
import dev.junction.api.topology.Zone;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LDC routing: orders candidates by where they are relative to the proxy's IDC ({@link LdcClass}, OBProxy's
 * {@code MERGE_IDC_ORDER}) for weak reads (after the route policy's leader/follower steps, replicas lagging too
 * far last) and for strong statements whose location is unknown. Abstains for strong statements with a known
 * leader (the core puts it first) and, for those without, when the proxy's IDC is unknown.
 *
 * <p>The proxy's IDC is {@code proxy_idc_name} or the session's {@code @proxy_idc_name}; the route policy is
 * {@code proxy_route_policy} or the session's {@code @proxy_route_policy}. Within a class the core's rotating
 * order is kept, which spreads statements like OBProxy's random pick.
 */
@Component(configurationPid = LdcConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {RoutingPolicy.NAME_PROPERTY + "=ldc", "service.ranking:Integer=100"})
public class LdcRoutingPolicy implements RoutingPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(LdcRoutingPolicy.class);
    private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;
    static final String IDC_VARIABLE = "@proxy_idc_name"; // with the @: no string built per lookup
    static final String POLICY_VARIABLE = "@proxy_route_policy";

    private final ReplicationStatus replication;
    private volatile LdcConfig config = LdcConfig.DEFAULT;
    private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();

    /** For tests and embedding: without replication checks unless {@code control} is given. */
    public LdcRoutingPolicy(ServerControl control) {
        this.replication = new ReplicationStatus(control);
    }

    @Activate
    public LdcRoutingPolicy(@Reference(cardinality = ReferenceCardinality.OPTIONAL) ServerControl control,
            Map<String, Object> properties) {
        this(control);
        configure(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        configure(properties);
    }

    @Deactivate
    public void close() {
        replication.close();
    }

    /**
     * Applies a configuration when it is valid as a whole; otherwise logs one line naming the file, the key and
     * the problem, keeps the current one, and returns the problem.
     */
    public String configure(Map<String, ?> properties) {
        try {
            LdcConfig next = LdcConfig.parse(properties);
            config = next;
            replication.configure(next);
            LOG.info("LDC routing: {}", next);
            return null;
        } catch (LdcConfig.Invalid e) {
            LOG.error("Refusing the new LDC settings, the previous ones stay: {}", e.getMessage());
            return e.getMessage();
        }
    }

    /** The last replication check of every server of the replication clusters. */
    Map<dev.junction.api.topology.ServerAddress, ReplicationStatus.State> replication() {
        return replication.all();
    }

    @Override
    public RouteDecision route(RouteRequest request) {
        LdcConfig cfg = config;
        SessionInfo session = request.session();
        List<Replica> candidates = request.candidates();
        int n = candidates.size();
        if (n == 0) {
            return RouteDecision.abstain();
        }
        boolean weak = request.weakRead();
        RoutePolicy policy = cfg.routePolicy;
        String policyFrom = "config";
        Optional<String> sessionPolicy = session.userVariable(POLICY_VARIABLE);
        if (sessionPolicy.isPresent() && weak) {
            policy = RoutePolicy.named(sessionPolicy.get());
            policyFrom = "session";
            if (policy == null) {
                warn("policy:" + session.id(), "Session " + session.id() + " (" + session.user() + "): unknown "
                        + POLICY_VARIABLE + " " + sessionPolicy.get() + " (expected MERGE_IDC_ORDER, FOLLOWER_FIRST,"
                        + " UNMERGE_FOLLOWER_FIRST or FOLLOWER_ONLY); the core's default order applies");
                return RouteDecision.abstain();
            }
        }
        String idc = cfg.idc;
        String idcFrom = "config";
        Optional<String> sessionIdc = session.userVariable(IDC_VARIABLE);
        if (sessionIdc.isPresent()) {
            idc = unquote(sessionIdc.get());
            idcFrom = "session";
        }
        boolean replicationCluster = !cfg.replicationClusters.isEmpty() && session.cluster() != null
                && cfg.replicationClusters.contains(session.cluster().toLowerCase(Locale.ROOT));

        // effective roles: the metadata's, or for replication clusters the primary/replica from the checks
        boolean[] leader = new boolean[n];
        boolean[] lagging = new boolean[n];
        boolean knownLeader = false;
        boolean primary = false;
        for (int i = 0; i < n; i++) {
            Replica r = candidates.get(i);
            if (r.role() == ReplicaRole.LEADER) {
                leader[i] = true;
                knownLeader = true;
            } else if (replicationCluster && r.role() == ReplicaRole.NONE) {
                ReplicationStatus.State s = replication.of(r.server());
                if (s != null) {
                    leader[i] = !s.replica();
                    primary |= leader[i];
                    lagging[i] = s.lagging(cfg.maxLagMillis);
                }
            }
        }
        if (!weak && knownLeader) {
            return RouteDecision.abstain(); // the core puts the leader first
        }
        if (!weak && !primary && idc.isEmpty()) {
            return RouteDecision.abstain(); // no location, no IDC: nothing to prefer
        }
        String region = regionOf(idc, candidates);
        LdcClass[] classes = new LdcClass[n];
        int[] keys = new int[n];
        for (int i = 0; i < n; i++) {
            Replica r = candidates.get(i);
            Zone z = r.zone();
            LdcClass.Place place = idc.isEmpty() ? LdcClass.Place.SAME_IDC
                    : idc.equalsIgnoreCase(z.idc()) ? LdcClass.Place.SAME_IDC
                    : region != null && region.equalsIgnoreCase(z.region()) ? LdcClass.Place.SAME_REGION
                    : LdcClass.Place.OTHER_REGION;
            classes[i] = LdcClass.of(place, r.role() != ReplicaRole.NONE, z.merging());
            int step = weak ? policy.step(leader[i], z.merging()) : (primary && leader[i] ? 0 : 1);
            keys[i] = step < 0 ? -1 : (lagging[i] && weak ? 1000 : 0) + step * 16 + classes[i].ordinal();
        }
        // stable insertion sort (a handful of candidates): keeps the core's rotation within a class
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            int j = i;
            while (j > 0 && keys[order[j - 1]] > keys[i]) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = i;
        }
        List<Replica> preferred = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            if (keys[order[k]] >= 0) {
                preferred.add(candidates.get(order[k]));
            }
        }
        // FOLLOWER_ONLY is strict: a weak read never reaches a leader, it fails when no follower is a candidate
        boolean followersOnly = weak && policy == RoutePolicy.FOLLOWER_ONLY;
        if (preferred.isEmpty() && !followersOnly) {
            return RouteDecision.abstain();
        }
        Explanation why = new Explanation(weak, policy, policyFrom, primary, idc, idcFrom, region, replicationCluster,
                candidates, order, keys, classes, leader, lagging);
        return followersOnly ? RouteDecision.only(preferred, why) : RouteDecision.prefer(preferred, why);
    }

    /** What {@code explain route} shows; built only when asked for, never on the way of a plain statement. */
    private final class Explanation implements Supplier<String> {
        private final boolean weak;
        private final RoutePolicy policy;
        private final String policyFrom;
        private final boolean primary;
        private final String idc;
        private final String idcFrom;
        private final String region;
        private final boolean replicationCluster;
        private final List<Replica> candidates;
        private final int[] order;
        private final int[] keys;
        private final LdcClass[] classes;
        private final boolean[] leader;
        private final boolean[] lagging;

        Explanation(boolean weak, RoutePolicy policy, String policyFrom, boolean primary, String idc, String idcFrom,
                String region, boolean replicationCluster, List<Replica> candidates, int[] order, int[] keys,
                LdcClass[] classes, boolean[] leader, boolean[] lagging) {
            this.weak = weak;
            this.policy = policy;
            this.policyFrom = policyFrom;
            this.primary = primary;
            this.idc = idc;
            this.idcFrom = idcFrom;
            this.region = region;
            this.replicationCluster = replicationCluster;
            this.candidates = candidates;
            this.order = order;
            this.keys = keys;
            this.classes = classes;
            this.leader = leader;
            this.lagging = lagging;
        }

        @Override
        public String get() {
            int n = candidates.size();
            StringBuilder why = new StringBuilder(96 + 48 * n);
            if (weak) {
                why.append("weak read, ").append(policy).append(" (").append(policyFrom).append(")");
            } else {
                why.append(primary ? "strong, replication primary first" : "strong, location unknown: MERGE_IDC_ORDER");
            }
            if (idc.isEmpty()) {
                why.append(", proxy IDC unknown (LDC off)");
            } else {
                why.append(", proxy IDC ").append(idc).append(" (").append(idcFrom).append(")")
                        .append(region == null ? ", region unknown" : ", region " + region);
            }
            why.append(':');
            for (int k = 0; k < n; k++) {
                int i = order[k];
                Replica r = candidates.get(i);
                why.append(' ').append(r.server()).append(' ')
                        .append(leader[i] ? (r.role() == ReplicaRole.NONE ? "primary" : "leader")
                                : r.role() == ReplicaRole.NONE && !replicationCluster ? "server" : "follower")
                        .append(' ').append(classes[i]);
                if (lagging[i]) {
                    ReplicationStatus.State s = replication.of(r.server());
                    why.append(" LAGGING (").append(s == null ? "?" : s.detail()).append(')');
                }
                if (keys[i] < 0) {
                    why.append(" (left out)");
                }
                why.append(k == n - 1 ? "" : ";");
            }
            return why.toString();
        }
    }

    /** The region of the proxy's IDC, from the zone of any candidate in it; null when none is. */
    private static String regionOf(String idc, List<Replica> candidates) {
        if (idc.isEmpty()) {
            return null;
        }
        for (int i = 0; i < candidates.size(); i++) {
            Zone z = candidates.get(i).zone();
            if (idc.equalsIgnoreCase(z.idc())) {
                return z.region();
            }
        }
        return null;
    }

    private static String unquote(String v) {
        return v.replace("'", "").replace("\"", "").trim();
    }

    private void warn(String key, String message) {
        long now = System.nanoTime();
        Long last = lastLogged.get(key);
        if (last == null || now - last > LOG_INTERVAL_NANOS) {
            if (lastLogged.size() > 10_000) {
                lastLogged.clear();
            }
            lastLogged.put(key, now);
            LOG.warn(message);
        }
    }
}
