package dev.junction.core.routing;

import dev.junction.core.analysis.StatementAnalyzer;

import dev.junction.api.filter.FilterResult;
import dev.junction.api.filter.LoginFilter;
import dev.junction.api.filter.LoginRequest;
import dev.junction.api.filter.ResultFilter;
import dev.junction.api.filter.StatementFilter;
import dev.junction.api.filter.StatementOutcome;
import dev.junction.api.health.DisasterCheck;
import dev.junction.api.health.FailureKind;
import dev.junction.api.health.Verdict;
import dev.junction.api.routing.RouteDecision;
import dev.junction.api.routing.RouteRequest;
import dev.junction.api.routing.RoutingPolicy;
import dev.junction.api.session.SessionInfo;
import dev.junction.api.statement.StatementInfo;
import dev.junction.api.topology.Replica;
import dev.junction.api.topology.ServerAddress;
import dev.junction.core.cluster.TenantConfig;
import dev.junction.core.config.ConfigException;
import dev.junction.core.config.ConfigValues;
import dev.junction.core.session.ClientSession;
import dev.junction.core.session.ServerChooser;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routing pipeline: analysis, statement filters, routing policies, disaster checks, then the ordered list
 * of servers to try ({@link Route}); after the statement, disaster-check feedback and result filters. Login
 * filters run at login. With no SPI service registered the proxy skips all of it (one emptiness check) and
 * uses {@link #choose}.
 *
 * <p>Core default order: the tenant's servers from a rotating start (statements spread evenly), leaders first
 * for writes and strong reads when the candidates know leaders. A {@code target_db_server} hint naming one of
 * the tenant's servers pins the statement there. Policies run highest ranking first; the first that does not
 * abstain orders the candidates (those it omits follow in the default order). A policy that throws or runs
 * longer than {@code policy_budget} is skipped. Disaster checks then demote (after every allowed server) or
 * veto (last resort) candidates.
 *
 * <p>Weak reads (followers may serve them): a {@code READ_CONSISTENCY(WEAK)} hint, the session's
 * {@code ob_read_consistency = weak} (or {@code @ob_read_consistency = 'weak'} where the servers are MySQL or
 * MariaDB, which do not know that variable), or, when the session set neither, the user's default from
 * {@code weak_read_users}; a {@code READ_CONSISTENCY(STRONG)} hint and writes are always strong.
 *
 * <p>Configuration {@code etc/dev.junction.routing.cfg}: {@code policy_budget} (default 5ms) bounds each policy,
 * check and filter call; {@code weak_read_users} lists {@code user}, {@code user@tenant} or
 * {@code user@tenant#cluster} entries whose sessions read weakly by default.
 */
@Component(service = RoutingPipeline.class, configurationPid = RoutingPipeline.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class RoutingPipeline implements ServerChooser {

    public static final String PID = "dev.junction.routing";
    static final long DEFAULT_BUDGET_NANOS = 5_000_000L;
    private static final Logger LOG = LoggerFactory.getLogger(RoutingPipeline.class);

    private final RoutingServices services;
    private final RateLimitedLog warnings = new RateLimitedLog(LOG, 10_000);
    /** Per cluster, per tenant: where the rotation over the tenant's servers starts next. */
    private final Map<String, Map<String, AtomicInteger>> rotation = new ConcurrentHashMap<>();
    private final StaticCandidates staticCandidates = new StaticCandidates();
    private static final StatementAnalyzer LIGHT_ANALYSIS = new StatementAnalyzer();
    private volatile StatementAnalysis analysis = LIGHT_ANALYSIS::analyze;
    private volatile CandidateSource candidates = staticCandidates;
    private volatile RouteFeedback feedback = RouteFeedback.NONE;
    private volatile long budgetNanos = DEFAULT_BUDGET_NANOS;
    private volatile WeakReadUsers weakReadUsers = WeakReadUsers.NONE;

    /** For tests and embedding: the given services, the stand-in analysis and the static cluster config. */
    public RoutingPipeline(RoutingServices services) {
        this.services = services;
    }

    @Activate
    public RoutingPipeline(@Reference RoutingServices services, Map<String, Object> properties) {
        this(services);
        modified(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        try {
            long budget = parseBudgetNanos(properties);
            WeakReadUsers users = WeakReadUsers.parse(properties, "etc/" + PID + ".cfg");
            budgetNanos = budget;
            weakReadUsers = users;
        } catch (ConfigException e) {
            LOG.error("Refusing routing configuration, the old one keeps serving: {}", e.getMessage());
        }
    }

    /** Validates {@code etc/dev.junction.routing.cfg}; returns the policy budget in nanoseconds. */
    public static long parseBudgetNanos(Map<String, ?> properties) throws ConfigException {
        String source = "etc/" + PID + ".cfg";
        long ms = new ConfigValues(properties, source).duration("policy_budget", DEFAULT_BUDGET_NANOS / 1_000_000L);
        if (ms <= 0 || ms > 10_000) {
            throw new ConfigException(source + ": policy_budget must be between 1ms and 10s");
        }
        return ms * 1_000_000L;
    }

    // ---- plug points for the analyser and the metadata layer

    public void analysis(StatementAnalysis a) {
        this.analysis = a;
    }

    /** Where candidates come from; null restores the stand-in ({@link StaticCandidates}). */
    public void candidates(CandidateSource c) {
        this.candidates = c == null ? staticCandidates : c;
    }

    public CandidateSource candidates() {
        return candidates;
    }

    /** Where feedback goes; null restores {@link RouteFeedback#NONE}. */
    public void feedback(RouteFeedback f) {
        this.feedback = f == null ? RouteFeedback.NONE : f;
    }

    /** The stand-in candidate source: the tenant's configured servers. */
    public StaticCandidates staticCandidates() {
        return staticCandidates;
    }

    public void budgetNanos(long nanos) {
        this.budgetNanos = nanos;
    }

    public long budgetNanos() {
        return budgetNanos;
    }

    public void weakReadUsers(WeakReadUsers users) {
        this.weakReadUsers = users;
    }

    public RoutingServices services() {
        return services;
    }

    RouteFeedback feedback() {
        return feedback;
    }

    // ---- fast path

    /**
     * Whether no SPI service is registered and no metadata layer gives locations: the proxy may skip analysis
     * and planning entirely.
     */
    public boolean idle() {
        return candidates == staticCandidates && services.isEmpty();
    }

    /**
     * Whether statements of {@code cluster} need neither analysis nor planning: no SPI service is registered and
     * the cluster's candidates cannot depend on the statement (e.g. a static cluster file). Plain forwarding stays
     * cheap until something asks for more.
     */
    public boolean idle(String cluster) {
        return services.isEmpty() && (candidates == staticCandidates || !candidates.locates(cluster));
    }

    /**
     * Whether planning could not change where a statement of {@code cluster} goes: no routing policy, no disaster
     * check, and candidates that do not depend on the statement. A statement the statement filters let through
     * may then be forwarded like plain traffic (its end still reaches the result filters).
     */
    public boolean plansNothing(String cluster) {
        return services.policies().isEmpty() && services.checks().isEmpty()
                && (candidates == staticCandidates || !candidates.locates(cluster));
    }

    public boolean hasStatementFilters() {
        return !services.statementFilters().isEmpty();
    }

    public StatementInfo analyze(String sql) {
        try {
            return analysis.analyze(sql);
        } catch (RuntimeException e) {
            warnings.warn("analysis", "Statement analysis failed, routing the statement as table-less: " + e);
            return LIGHT_ANALYSIS.analyze(sql);
        }
    }

    /** The server for a command routing knows nothing about: the tenant's servers in turn, vetoed ones last. */
    @Override
    public ServerAddress choose(ClientSession session, List<ServerAddress> servers) {
        if (servers.size() == 1) {
            return servers.get(0); // a sole server is chosen whatever the checks say
        }
        int start = rotationStart(session.cluster(), session.tenant(), servers.size());
        RankedServices.Entry<DisasterCheck>[] checks = services.checks().snapshot();
        if (checks.length == 0) {
            return servers.get(start);
        }
        TenantConfig tenant = session.tenantConfig();
        List<Replica> replicas = tenant == null ? List.of() : staticCandidates.of(tenant);
        for (int i = 0; i < servers.size(); i++) {
            ServerAddress a = servers.get((start + i) % servers.size());
            Replica r = find(replicas, a);
            if (r == null || verdict(checks, r, null).kind() == Verdict.Kind.ALLOW) {
                return a;
            }
        }
        return servers.get(start);
    }

    /** Where the next rotation over a tenant's {@code n} servers starts (one server: no counter touched). */
    private int rotationStart(String cluster, String tenant, int n) {
        return n == 1 ? 0 : Math.floorMod(counter(cluster, tenant).getAndIncrement(), n);
    }

    /** Two lookups by the session's own strings (their hashes are cached): nothing is allocated per statement. */
    private AtomicInteger counter(String cluster, String tenant) {
        String clusterKey = cluster == null ? "" : cluster;
        String tenantKey = tenant == null ? "" : tenant;
        Map<String, AtomicInteger> tenants = rotation.get(clusterKey);
        if (tenants == null) {
            tenants = rotation.computeIfAbsent(clusterKey, k -> new ConcurrentHashMap<>());
        }
        AtomicInteger c = tenants.get(tenantKey);
        return c != null ? c : tenants.computeIfAbsent(tenantKey, k -> new AtomicInteger());
    }

    // ---- login

    /** Runs the login filters: the first reject wins; delay and rewrite do not apply at login. */
    public FilterResult login(LoginRequest login) {
        for (RankedServices.Entry<LoginFilter> e : services.loginFilters().snapshot()) {
            FilterResult r;
            try {
                r = e.service().onLogin(login);
            } catch (RuntimeException ex) {
                warnings.warn("login:" + e.name(), "Login filter " + e.name() + " failed, ignoring it: " + ex);
                continue;
            }
            if (r != null && r.action() == FilterResult.Action.REJECT) {
                return r;
            }
        }
        return FilterResult.accept();
    }

    public void logout(LoginRequest login) {
        for (RankedServices.Entry<LoginFilter> e : services.loginFilters().snapshot()) {
            try {
                e.service().onLogout(login);
            } catch (RuntimeException ex) {
                warnings.warn("logout:" + e.name(), "Login filter " + e.name() + " failed on logout: " + ex);
            }
        }
    }

    // ---- statement filters

    /** A statement filter's decision and who made it. */
    public record Filtered(FilterResult result, String filter) {
    }

    private static final Filtered ACCEPTED = new Filtered(FilterResult.accept(), null);

    /** The first non-accepting statement filter's answer (a filter that throws is skipped). */
    public Filtered filter(StatementInfo statement, SessionInfo session) {
        for (RankedServices.Entry<StatementFilter> e : services.statementFilters().snapshot()) {
            FilterResult r;
            long t0 = System.nanoTime();
            try {
                r = e.service().onStatement(statement, session);
            } catch (RuntimeException ex) {
                warnings.warn("filter:" + e.name(), "Statement filter " + e.name() + " failed, skipping it: " + ex);
                continue;
            }
            overBudget("Statement filter " + e.name(), t0);
            if (r != null && r.action() != FilterResult.Action.ACCEPT) {
                return new Filtered(r, e.name());
            }
        }
        return ACCEPTED;
    }

    // ---- routing

    /** Plans where {@code statement} runs; {@code trace} collects the explanation for {@code explain route}. */
    public Route plan(SessionInfo session, TenantConfig tenant, StatementInfo statement, boolean trace) {
        List<String> why = trace ? new ArrayList<>() : null;
        if (why != null) {
            why.add("analysis: " + statement);
        }
        List<Replica> all;
        try {
            all = candidates.candidates(session, tenant, statement);
        } catch (RuntimeException e) {
            warnings.warn("candidates", "Candidate lookup failed, using the tenant's servers: " + e);
            all = staticCandidates.of(tenant);
        }
        if (all.isEmpty()) {
            all = staticCandidates.of(tenant);
        }
        if (why != null) {
            String where;
            try {
                where = candidates.explain(session, tenant, statement);
            } catch (RuntimeException e) {
                where = "explaining failed: " + e;
            }
            if (where != null) {
                why.add("location: " + where);
            }
            why.add("candidates: " + describe(all));
        }
        // pinned by hint
        if (statement.targetServer().isPresent()) {
            ServerAddress pin = statement.targetServer().get();
            Replica r = find(all, pin);
            if (r != null) {
                if (why != null) {
                    why.add("target_db_server hint pins " + pin + "; policies and checks are not consulted");
                }
                return new Route(this, session, tenant, statement, List.of(pin), "target_db_server hint", why);
            }
            if (why != null) {
                why.add("target_db_server " + pin + " is not a server of tenant " + tenant.name() + ": hint ignored");
            }
        }
        boolean weak = weak(session, statement);
        List<Replica> order = defaultOrder(tenant, weak, all);
        if (why != null) {
            boolean strong = !weak;
            boolean leaders = false;
            for (Replica r : order) {
                leaders |= r.isLeader();
            }
            why.add("default policy: " + (strong && leaders ? "leader first (" + (statement.isWrite() ? "write" : "strong read")
                    + "), then the others from a rotating start" : (strong ? "no leader known" : "weak read")
                    + ": rotating start over the candidates"));
            why.add("candidates (default order): " + servers(order));
        }
        String decidedBy = "default";
        for (RankedServices.Entry<RoutingPolicy> e : services.policies().snapshot()) {
            RouteDecision d;
            long t0 = System.nanoTime();
            try {
                d = e.service().route(new RouteRequest(statement, session, order, weak));
            } catch (RuntimeException ex) {
                warnings.warn("policy:" + e.name(), "Routing policy " + e.name() + " failed, skipping it: " + ex);
                if (why != null) {
                    why.add("policy " + e.name() + " (ranking " + e.ranking() + "): threw " + ex + "; skipped");
                }
                continue;
            }
            long took = System.nanoTime() - t0;
            if (took > budgetNanos) {
                warnings.warn("policy:" + e.name(), "Routing policy " + e.name() + " took " + took / 1000
                        + " us, over the budget of " + budgetNanos / 1000 + " us; its answer was ignored");
                if (why != null) {
                    why.add("policy " + e.name() + " (ranking " + e.ranking() + "): took " + took / 1000
                            + " us, over budget; skipped");
                }
                continue;
            }
            if (d == null || d.abstained()) {
                if (why != null) {
                    why.add("policy " + e.name() + " (ranking " + e.ranking() + "): abstained");
                }
                continue;
            }
            order = d.exclusive() ? restrict(order, d.preference()) : applyPreference(order, d.preference());
            decidedBy = e.name();
            if (why != null) {
                why.add("policy " + e.name() + " (ranking " + e.ranking() + ") decided: " + d.reason() + " -> "
                        + (d.exclusive() ? "only " : "") + servers(order));
            }
            break;
        }
        if (why != null && decidedBy.equals("default")) {
            why.add("no policy decided: core default order");
        }
        List<ServerAddress> result = applyChecks(order, why);
        return new Route(this, session, tenant, statement, result, decidedBy, why);
    }

    /**
     * A statement a session rule binds to {@code server} (its transaction's, or the last one for statements that
     * depend on the previous): no policy or check is consulted and it is never sent elsewhere, but disaster
     * checks and result filters hear how it went.
     */
    public Route bound(SessionInfo session, TenantConfig tenant, StatementInfo statement, ServerAddress server,
            String rule) {
        return new Route(this, session, tenant, statement, List.of(server), rule, null, false);
    }

    private List<Replica> defaultOrder(TenantConfig tenant, boolean weak, List<Replica> all) {
        int n = all.size();
        int start = rotationStart(tenant.cluster(), tenant.name(), n);
        boolean strong = !weak;
        List<Replica> leaders = new ArrayList<>(1);
        List<Replica> rest = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Replica r = all.get((start + i) % n);
            if (strong && r.isLeader()) {
                leaders.add(r);
            } else {
                rest.add(r);
            }
        }
        if (leaders.isEmpty()) {
            return rest;
        }
        leaders.addAll(rest);
        return leaders;
    }

    /** Whether the statement is a weak read: hint, then the session variable, then the user's default. */
    private boolean weak(SessionInfo session, StatementInfo statement) {
        if (statement.isWrite() || statement.strongReadHint()) {
            return false;
        }
        if (statement.weakReadHint()) {
            return true;
        }
        // the user variable serves MySQL/MariaDB servers, which refuse OceanBase's system variable
        java.util.Optional<String> v = session.systemVariable("ob_read_consistency");
        if (v.isEmpty()) {
            v = session.userVariable("@ob_read_consistency");
        }
        if (v.isPresent()) {
            return v.get().replace("'", "").replace("\"", "").trim().toLowerCase(Locale.ROOT).equals("weak");
        }
        WeakReadUsers users = weakReadUsers;
        return users != WeakReadUsers.NONE && users.readsWeakly(session.user(), session.tenant(), session.cluster());
    }

    /** The preferred replicas that are candidates, in the preferred order; the rest are dropped. */
    static List<Replica> restrict(List<Replica> candidates, List<Replica> preference) {
        List<Replica> out = new ArrayList<>(preference.size());
        Set<ServerAddress> taken = new HashSet<>();
        for (Replica p : preference) {
            Replica c = find(candidates, p.server());
            if (c != null && taken.add(c.server())) {
                out.add(c);
            }
        }
        return out;
    }

    static List<Replica> applyPreference(List<Replica> candidates, List<Replica> preference) {
        List<Replica> out = new ArrayList<>(candidates.size());
        Set<ServerAddress> taken = new HashSet<>();
        for (Replica p : preference) {
            Replica c = find(candidates, p.server());
            if (c != null && taken.add(c.server())) {
                out.add(c);
            }
        }
        for (Replica c : candidates) {
            if (taken.add(c.server())) {
                out.add(c);
            }
        }
        return out;
    }

    private List<ServerAddress> applyChecks(List<Replica> order, List<String> why) {
        RankedServices.Entry<DisasterCheck>[] checks = services.checks().snapshot();
        List<ServerAddress> allowed = new ArrayList<>(order.size());
        if (checks.length == 0) {
            for (Replica r : order) {
                allowed.add(r.server());
            }
            return allowed;
        }
        List<ServerAddress> demoted = new ArrayList<>(1);
        List<ServerAddress> vetoed = new ArrayList<>(1);
        for (Replica r : order) {
            Verdict v = verdict(checks, r, why);
            switch (v.kind()) {
                case VETO:
                    vetoed.add(r.server());
                    break;
                case DEMOTE:
                    demoted.add(r.server());
                    break;
                default:
                    allowed.add(r.server());
            }
        }
        allowed.addAll(demoted);
        allowed.addAll(vetoed);
        if (why != null) {
            why.add("after disaster checks: " + allowed + (vetoed.isEmpty() ? "" : " (vetoed, last resort: " + vetoed + ")")
                    + (demoted.isEmpty() ? "" : " (demoted: " + demoted + ")"));
        }
        return allowed;
    }

    /** The most severe verdict of all checks for one replica (a check that throws allows). */
    private Verdict verdict(RankedServices.Entry<DisasterCheck>[] checks, Replica r, List<String> why) {
        Verdict worst = Verdict.allow();
        for (RankedServices.Entry<DisasterCheck> e : checks) {
            Verdict v;
            long t0 = System.nanoTime();
            try {
                v = e.service().check(r);
            } catch (RuntimeException ex) {
                warnings.warn("check:" + e.name(), "Disaster check " + e.name() + " failed, ignoring it: " + ex);
                continue;
            }
            overBudget("Disaster check " + e.name(), t0);
            if (v == null) {
                continue;
            }
            if (why != null && v.kind() != Verdict.Kind.ALLOW) {
                why.add("check " + e.name() + ": " + r.server() + " " + v);
            }
            if (v.kind().ordinal() > worst.kind().ordinal()) {
                worst = v;
            }
        }
        return worst;
    }

    private void overBudget(String what, long t0) {
        long took = System.nanoTime() - t0;
        if (took > budgetNanos) {
            warnings.warn(what, what + " took " + took / 1000 + " us, over the budget of " + budgetNanos / 1000 + " us");
        }
    }

    // ---- after the statement

    /** A statement completed on {@code server}: every disaster check hears it (planned or not). */
    public void succeeded(ServerAddress server) {
        for (RankedServices.Entry<DisasterCheck> e : services.checks().snapshot()) {
            try {
                e.service().onSuccess(server);
            } catch (RuntimeException ex) {
                warnings.warn("check:" + e.name(), "Disaster check " + e.name() + " failed in onSuccess: " + ex);
            }
        }
    }

    /** Real traffic to {@code server} failed: every disaster check hears it (planned or not). */
    public void failed(ServerAddress server, FailureKind kind, String detail) {
        for (RankedServices.Entry<DisasterCheck> e : services.checks().snapshot()) {
            try {
                e.service().onFailure(server, kind, detail);
            } catch (RuntimeException ex) {
                warnings.warn("check:" + e.name(), "Disaster check " + e.name() + " failed in onFailure: " + ex);
            }
        }
    }

    /** Tells the result filters how a statement ended. */
    public void result(StatementInfo statement, SessionInfo session, StatementOutcome outcome) {
        for (RankedServices.Entry<ResultFilter> e : services.resultFilters().snapshot()) {
            try {
                e.service().onResult(statement, session, outcome);
            } catch (RuntimeException ex) {
                warnings.warn("result:" + e.name(), "Result filter " + e.name() + " failed: " + ex);
            }
        }
    }

    // ---- helpers

    static Replica find(List<Replica> replicas, ServerAddress a) {
        for (Replica r : replicas) {
            if (r.server().equals(a)) {
                return r;
            }
        }
        return null;
    }

    private static String describe(List<Replica> rs) {
        StringBuilder b = new StringBuilder();
        for (Replica r : rs) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(r.server()).append(' ').append(r.role());
            if (r.type() != dev.junction.api.topology.ReplicaType.FULL) {
                b.append(' ').append(r.type());
            }
            b.append(" zone ").append(r.zone().name());
            if (r.state() != dev.junction.api.topology.ServerState.ACTIVE) {
                b.append(' ').append(r.state());
            }
        }
        return b.toString();
    }

    private static List<ServerAddress> servers(List<Replica> rs) {
        List<ServerAddress> out = new ArrayList<>(rs.size());
        for (Replica r : rs) {
            out.add(r.server());
        }
        return out;
    }
}
