package dev.junction.ratelimit;

import dev.junction.api.filter.FilterResult;
import dev.junction.api.filter.LoginFilter;
import dev.junction.api.filter.LoginRequest;
import dev.junction.api.filter.ResultFilter;
import dev.junction.api.filter.StatementFilter;
import dev.junction.api.filter.StatementOutcome;
import dev.junction.api.session.SessionInfo;
import dev.junction.api.statement.StatementInfo;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Throttling and circuit breaking per statement, from {@code etc/dev.junction.ratelimit.cfg}.
 *
 * <p>Breakers first: a statement an open breaker covers fails fast with {@link #BREAKER_OPEN}. Then throttles,
 * every one that covers the statement: a statements-per-second limit reserves the statement's slot and delays it
 * until then (the core re-runs the filter, the event loop never waits); a concurrency limit is taken for all
 * throttles at once, or the statement is delayed and tries again every {@value #POLL_MILLIS} ms. A statement that
 * cannot get through within the throttle's {@code max_wait} (counted from its first arrival) is rejected with
 * {@link #THROTTLED}. The places a statement took are given back when the core reports its end (result filter),
 * or at the latest when its session ends (login filter logout).
 *
 * <p>Cheap by design when no rule is configured: the component then offers only its login filter (which hears
 * logouts), so the core sees no statement or result filter and plain forwarding takes its fast path; the statement
 * and result filter services are registered while at least one rule exists. Even then, a statement no rule covers
 * costs one volatile read and a few string comparisons.
 */
@Component(service = LoginFilter.class, configurationPid = RateLimitConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class RateLimitStatementFilter implements StatementFilter, ResultFilter, LoginFilter, EditableRules {

    /** Over a throttle for longer than its max_wait: ER_USER_LIMIT_REACHED, what MySQL answers over a resource limit. */
    public static final int THROTTLED = 1226;
    public static final String THROTTLED_STATE = "42000";
    /** An open circuit breaker: ER_SERVER_ISNT_AVAILABLE (MySQL 5.7+), the statement was not run. */
    public static final int BREAKER_OPEN = 3168;
    public static final String BREAKER_OPEN_STATE = "HY000";
    static final long POLL_MILLIS = 2;

    private static final Logger LOG = LoggerFactory.getLogger(RateLimitStatementFilter.class);

    /** A statement waiting for a throttle: since when, and which throttles it passed already. */
    private static final class Waiting {
        final long since;
        final RateLimitConfig config;
        int next;
        long readyAt;
        long delayedBy;

        Waiting(long since, RateLimitConfig config) {
            this.since = since;
            this.config = config;
        }
    }

    private static final Throttle[] NONE = new Throttle[0];

    private volatile RateLimitConfig config = RateLimitConfig.EMPTY;
    private volatile Path file = Paths.get(RateLimitConfig.FILE);
    /** Per session (client address and port): the statement waiting for a throttle. */
    private final ConcurrentHashMap<InetSocketAddress, Waiting> waiting = new ConcurrentHashMap<>();
    /** Per session: the concurrency places its running statement holds. */
    private final ConcurrentHashMap<InetSocketAddress, Throttle[]> holding = new ConcurrentHashMap<>();
    private final RejectionLog rejections = new RejectionLog(LOG, 10, "rejected statements");
    private BundleContext context;
    /** The statement and result filter services while rules exist, else null (guarded by this). */
    private ServiceRegistration<?> filtering;

    /** For tests and embedding: no rules until {@link #configure} is called. */
    public RateLimitStatementFilter() {
    }

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        String home = context.getProperty("junction.home");
        if (home != null) {
            file = Paths.get(home).resolve(RateLimitConfig.FILE);
        }
        configure(properties);
        synchronized (this) {
            this.context = context;
        }
        offerFilters();
    }

    @Modified
    void modified(Map<String, Object> properties) {
        configure(properties);
    }

    @Deactivate
    void deactivate() {
        synchronized (this) {
            context = null;
        }
        offerFilters();
        waiting.clear();
        holding.clear();
    }

    /** Registers the statement and result filters while rules exist (and the component is active), else removes them. */
    private synchronized void offerFilters() {
        boolean wanted = context != null && !config.empty;
        if (wanted && filtering == null) {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put("junction.filter.name", "ratelimit");
            filtering = context.registerService(new String[] {StatementFilter.class.getName(),
                    ResultFilter.class.getName()}, this, props);
        } else if (!wanted && filtering != null) {
            try {
                filtering.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
            filtering = null;
            holding.clear(); // the throttles they counted are gone with the rules
            waiting.clear();
        }
    }

    /**
     * Applies a configuration if it is valid as a whole; otherwise logs one line naming the file, the key and the
     * problem, keeps the rules in force, and returns that problem.
     */
    @Override
    public String configure(Map<String, ?> properties) {
        file = CfgEdit.fileOf(properties, file);
        try {
            RateLimitConfig next = RateLimitConfig.parse(properties).keepingStateOf(config);
            config = next;
            offerFilters();
            LOG.info("Rate limits: {} throttles, {} breakers from {}", next.throttles.length, next.breakers.length,
                    displayFile());
            return null;
        } catch (WhitelistConfig.Invalid e) {
            LOG.error("Refusing {}, the previous throttles and breakers stay: {}", displayFile(), e.getMessage());
            return e.getMessage();
        }
    }

    // ---- statements

    @Override
    public FilterResult onStatement(StatementInfo statement, SessionInfo session) {
        RateLimitConfig cfg = config;
        if (cfg.empty) {
            return FilterResult.accept();
        }
        InetSocketAddress key = session.clientAddress();
        Waiting w = key == null ? null : waiting.get(key);
        long now = System.nanoTime();
        if (w == null || w.config != cfg) {
            for (Breaker b : cfg.breakers) {
                if (b.match.matches(statement, session) && !b.admit(now)) {
                    if (w != null) {
                        waiting.remove(key);
                    }
                    return breakerOpen(b, statement, session, now);
                }
            }
            if (w != null) {
                w = new Waiting(w.since, cfg); // the rules changed while it waited: start over, same arrival
            }
        } else if (w.readyAt - now > 0) {
            return FilterResult.delay(Duration.ofNanos(w.readyAt - now));
        }
        if (key == null) {
            return FilterResult.accept();
        }
        long since = w == null ? now : w.since;
        Throttle[] ts = cfg.throttles;
        for (int i = w == null ? 0 : w.next; i < ts.length; i++) {
            Throttle t = ts[i];
            if (!t.limitsRate() || !t.match.matches(statement, session)) {
                continue;
            }
            long wait = t.reserve(now, t.maxWaitNanos - (now - since));
            if (wait < 0) {
                waiting.remove(key);
                return throttled(t, "more than " + t.rate() + " statements a second", statement,
                        session, now - since);
            }
            if (wait > 0) {
                if (w == null) {
                    w = new Waiting(since, cfg);
                }
                w.next = i + 1;
                w.readyAt = now + wait;
                delayed(w, t, i);
                waiting.put(key, w);
                return FilterResult.delay(Duration.ofNanos(wait));
            }
        }
        Throttle[] taken = NONE;
        int n = 0;
        for (int i = 0; i < ts.length; i++) {
            Throttle t = ts[i];
            if (t.concurrency < 0 || !t.match.matches(statement, session)) {
                continue;
            }
            if (!t.enter()) {
                for (int j = 0; j < n; j++) {
                    taken[j].leave();
                }
                long waited = now - since;
                if (waited >= t.maxWaitNanos) {
                    waiting.remove(key);
                    return throttled(t, "more than " + t.concurrency + " statements at once", statement, session,
                            waited);
                }
                if (w == null) {
                    w = new Waiting(since, cfg);
                }
                w.next = ts.length;
                w.readyAt = now;
                delayed(w, t, i);
                waiting.put(key, w);
                return FilterResult.delay(Duration.ofNanos(Math.min(POLL_MILLIS * 1_000_000L,
                        t.maxWaitNanos - waited)));
            }
            if (taken == NONE) {
                taken = new Throttle[ts.length];
            }
            taken[n++] = t;
        }
        if (w != null) {
            waiting.remove(key);
        }
        for (Throttle t : ts) {
            if (t.match.matches(statement, session)) {
                t.allowed.increment();
            }
        }
        if (n > 0) {
            Throttle[] held = n == taken.length ? taken : Arrays.copyOf(taken, n);
            Throttle[] stale = holding.put(key, held);
            if (stale != null) {
                leave(stale); // an end the core never reported: do not keep the places forever
            }
        }
        return FilterResult.accept();
    }

    private static void delayed(Waiting w, Throttle t, int index) {
        long bit = 1L << index;
        if ((w.delayedBy & bit) == 0) {
            w.delayedBy |= bit;
            t.delayed.increment();
        }
    }

    private FilterResult throttled(Throttle t, String why, StatementInfo statement, SessionInfo session, long waited) {
        t.rejected.increment();
        rejections.warn("Throttle rejected a statement of " + account(session) + " from " + client(session) + ": " + t
                + ": " + why + " after waiting " + waited / 1_000_000 + "ms: " + abbreviate(statement.sql()));
        return FilterResult.reject(THROTTLED, THROTTLED_STATE, "Junction throttle '" + t.name + "': " + why
                + " (waited " + waited / 1_000_000 + "ms); try again later");
    }

    private FilterResult breakerOpen(Breaker b, StatementInfo statement, SessionInfo session, long now) {
        long left = b.coolDownLeft(now) / 1_000_000;
        String state = b.state() == Breaker.State.OPEN ? "open" : "half-open, its trial statements are running";
        rejections.warn("Circuit breaker rejected a statement of " + account(session) + " from " + client(session) + ": "
                + b + " is " + state + " (" + b.reason() + "): " + abbreviate(statement.sql()));
        return FilterResult.reject(BREAKER_OPEN, BREAKER_OPEN_STATE, "Junction circuit breaker '" + b.name + "' is "
                + state + " (" + b.reason() + "); the statement was not run"
                + (left > 0 ? "; trial statements pass in " + left + "ms" : ""));
    }

    // ---- ends of statements and sessions

    @Override
    public void onResult(StatementInfo statement, SessionInfo session, StatementOutcome outcome) {
        InetSocketAddress key = session.clientAddress();
        if (key != null && !holding.isEmpty()) {
            Throttle[] held = holding.remove(key);
            if (held != null) {
                leave(held);
            }
        }
        RateLimitConfig cfg = config;
        if (cfg.breakers.length == 0) {
            return;
        }
        long now = System.nanoTime();
        for (Breaker b : cfg.breakers) {
            if (b.match.matches(statement, session)) {
                b.record(now, !outcome.succeeded(), outcome.elapsedNanos());
            }
        }
    }

    private static void leave(Throttle[] held) {
        for (Throttle t : held) {
            t.leave();
        }
    }

    @Override
    public FilterResult onLogin(LoginRequest login) {
        return FilterResult.accept();
    }

    @Override
    public void onLogout(LoginRequest login) {
        InetSocketAddress key = login.clientAddress();
        if (key == null) {
            return;
        }
        waiting.remove(key);
        Throttle[] held = holding.remove(key);
        if (held != null) {
            leave(held);
        }
    }

    // ---- helpers and what junction:ratelimit shows

    private static String account(SessionInfo s) {
        return s.user() + "@" + s.tenant() + "#" + s.cluster();
    }

    private static String client(SessionInfo s) {
        InetSocketAddress a = s.clientAddress();
        return a == null ? "?" : Cidr.display(a.getAddress()) + ":" + a.getPort();
    }

    private static String abbreviate(String sql) {
        String s = sql.length() > 120 ? sql.substring(0, 120) + "..." : sql;
        return s.replace('\n', ' ');
    }

    RateLimitConfig config() {
        return config;
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public String displayFile() {
        return file.isAbsolute() && file.getParent() != null && file.getParent().getFileName() != null
                ? file.getParent().getFileName() + "/" + file.getFileName() : file.toString();
    }

    /** Statements waiting for a throttle right now. */
    int waitingStatements() {
        return waiting.size();
    }
}
