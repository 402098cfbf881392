package dev.junction.ratelimit;

import dev.junction.api.filter.FilterResult;
import dev.junction.api.filter.LoginFilter;
import dev.junction.api.filter.LoginRequest;
import dev.junction.api.session.SessionControl;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks each login against the whitelist rules and the connection limits of {@code etc/dev.junction.whitelist.cfg}.
 *
 * <p>Whitelist: the rules whose {@code user@tenant#cluster} pattern names the login apply; if any applies, the
 * client address must be in one of their address lists, else the login is refused with 1045 (28000). A login no
 * rule names is allowed. Limits: an accepted login holds one place globally, in its tenant and for its account
 * until the session ends; with no room it is refused with 1040 (08004) "Too many connections".
 *
 * <p>Runs last among login filters (lowest ranking), so a login it counted is never refused by another filter
 * afterwards; the place is given back on logout, found by the client's address and port (unique per open
 * connection), exactly once. Sessions opened before this component started are not counted.
 */
@Component(service = LoginFilter.class, configurationPid = WhitelistConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, property = "service.ranking:Integer=-2147483648")
public class WhitelistLoginFilter implements LoginFilter, EditableRules {

    private static final Logger LOG = LoggerFactory.getLogger(WhitelistLoginFilter.class);

    private volatile WhitelistConfig config = WhitelistConfig.EMPTY;
    private volatile Path file = Paths.get(WhitelistConfig.FILE);
    private final ConnectionLimits limits = new ConnectionLimits();
    private final ConcurrentHashMap<InetSocketAddress, ConnectionLimits.Lease> leases = new ConcurrentHashMap<>();
    private final RejectionLog rejections = new RejectionLog(LOG, 10);
    private final AtomicLong refusedByWhitelist = new AtomicLong();
    private final AtomicLong refusedByLimits = new AtomicLong();
    private final AtomicLong closedIdle = new AtomicLong();
    private volatile SessionControl sessions;

    /** For tests and embedding: no rules, default limits, until {@link #configure} is called. */
    public WhitelistLoginFilter() {
    }

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        String home = context.getProperty("junction.home");
        if (home != null) {
            file = Paths.get(home).resolve(WhitelistConfig.FILE);
        }
        configure(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        configure(properties);
    }

    @Deactivate
    void deactivate() {
        leases.clear();
    }

    /**
     * Applies a configuration if it is valid as a whole; otherwise logs one line naming the file, the key and the
     * problem, keeps the rules and limits in force, and returns that problem.
     */
    @Override
    public String configure(Map<String, ?> properties) {
        file = CfgEdit.fileOf(properties, file);
        try {
            WhitelistConfig next = WhitelistConfig.parse(properties).keepingCountersOf(config);
            config = next;
            LOG.info("Whitelist: {} rules, max_connections {}, {} tenant and {} user limits from {}", next.rules.size(),
                    next.maxConnections, next.tenantLimits.size(), next.userLimits.size(), displayFile());
            return null;
        } catch (WhitelistConfig.Invalid e) {
            LOG.error("Refusing {}, the previous rules and limits stay: {}", displayFile(), e.getMessage());
            return e.getMessage();
        }
    }

    @Override
    public FilterResult onLogin(LoginRequest login) {
        WhitelistConfig cfg = config;
        InetAddress address = login.clientAddress().getAddress();
        List<Rule> rules = cfg.rules;
        if (!rules.isEmpty()) {
            Rule allowedBy = null;
            List<Rule> applied = null;
            for (Rule r : rules) {
                if (r.appliesTo(login.user(), login.tenant(), login.cluster())) {
                    if (r.allows(address)) {
                        allowedBy = r;
                        break;
                    }
                    if (applied == null) {
                        applied = new ArrayList<>(2);
                    }
                    applied.add(r);
                }
            }
            if (allowedBy != null) {
                allowedBy.allowed.incrementAndGet();
            } else if (applied != null) {
                StringBuilder names = new StringBuilder();
                for (Rule r : applied) {
                    r.rejected.incrementAndGet();
                    names.append(names.length() == 0 ? "" : ", ").append(r);
                }
                refusedByWhitelist.incrementAndGet();
                String host = Cidr.display(address);
                rejections.warn("Whitelist refused " + account(login) + " from " + host + ": not allowed by " + names);
                return FilterResult.reject(1045, "28000",
                        "Access denied for user '" + login.user() + "' from host '" + host + "' (Junction whitelist)");
            }
        }
        ConnectionLimits.Result r = limits.acquire(login.user(), login.tenant(), login.cluster(), cfg);
        ConnectionLimits.Lease lease = r.lease();
        if (lease == null && cfg.closeIdleAtLimit) {
            lease = closeIdleFor(login, r);
        }
        if (lease == null) {
            refusedByLimits.incrementAndGet();
            String which = switch (r.refusal()) {
                case GLOBAL -> "max_connections";
                case TENANT -> "the connection limit of tenant " + login.tenant() + "#" + login.cluster();
                case USER -> "the connection limit of user " + account(login);
            };
            rejections.warn("Connection limit refused " + account(login) + " from " + Cidr.display(address) + ": "
                    + which + " (" + r.limit() + ") reached");
            return FilterResult.reject(1040, "08004", "Too many connections");
        }
        ConnectionLimits.Lease stale = leases.put(login.clientAddress(), lease);
        if (stale != null) {
            stale.release(); // a logout this filter never heard of: the address and port are in use again
        }
        return FilterResult.accept();
    }

    /**
     * {@code at_limit = close_idle}: asks the core to close the least recently used idle session in the scope of
     * the limit that refused (the account, the tenant, or anyone); if one is chosen, the login is admitted past the
     * limit until that session's logout gives the place back.
     */
    private ConnectionLimits.Lease closeIdleFor(LoginRequest login, ConnectionLimits.Result r) {
        SessionControl control = sessions;
        if (control == null) {
            return null;
        }
        String which = switch (r.refusal()) {
            case GLOBAL -> "max_connections";
            case TENANT -> "the connection limit of tenant " + login.tenant() + "#" + login.cluster();
            case USER -> "the connection limit of user " + account(login);
        };
        OptionalLong closed;
        try {
            closed = control.closeLeastRecentlyUsedIdle(r.refusal() == ConnectionLimits.Refusal.USER ? login.user() : null,
                    r.refusal() == ConnectionLimits.Refusal.GLOBAL ? null : login.tenant(), login.cluster(),
                    "to admit " + account(login) + " from " + Cidr.display(login.clientAddress().getAddress()) + " at "
                            + which + " (" + r.limit() + ")");
        } catch (RuntimeException e) {
            LOG.warn("Could not close an idle session at {}: {}", which, e.toString());
            return null;
        }
        if (closed.isEmpty()) {
            return null;
        }
        closedIdle.incrementAndGet();
        return limits.acquireOver(login.user(), login.tenant(), login.cluster());
    }

    /** The core's session control (for {@code at_limit = close_idle}); optional, may come and go. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetSessionControl")
    public void sessionControl(SessionControl control) {
        this.sessions = control;
    }

    void unsetSessionControl(SessionControl control) {
        if (this.sessions == control) {
            this.sessions = null;
        }
    }

    @Override
    public void onLogout(LoginRequest login) {
        if (login.clientAddress() == null) {
            return;
        }
        ConnectionLimits.Lease lease = leases.remove(login.clientAddress());
        if (lease != null) {
            lease.release();
        }
    }

    private static String account(LoginRequest login) {
        return login.user() + "@" + login.tenant() + "#" + login.cluster();
    }

    @Override
    public String displayFile() {
        return file.isAbsolute() && file.getParent() != null && file.getParent().getFileName() != null
                ? file.getParent().getFileName() + "/" + file.getFileName() : file.toString();
    }

    // ---- what the junction:whitelist command shows

    /** The configuration file this component reads (and the command edits). */
    @Override
    public Path file() {
        return file;
    }

    WhitelistConfig config() {
        return config;
    }

    ConnectionLimits limits() {
        return limits;
    }

    /** Open connections counted (for tests and the command). */
    public int openConnections() {
        return limits.global();
    }

    long refusedByWhitelist() {
        return refusedByWhitelist.get();
    }

    long refusedByLimits() {
        return refusedByLimits.get();
    }

    /** Idle sessions closed to admit a login at a limit. */
    public long closedIdle() {
        return closedIdle.get();
    }
}
