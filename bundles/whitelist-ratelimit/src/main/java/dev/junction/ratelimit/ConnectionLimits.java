package dev.junction.ratelimit;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open client connections, counted globally, per tenant ({@code tenant#cluster}) and per account
 * ({@code user@tenant#cluster}) with lock-free counters. A login takes a {@link Lease} only when every applicable
 * limit has room; releasing the lease gives the places back, once however often it is called.
 */
final class ConnectionLimits {

    /** Which limit refused a login. */
    enum Refusal { GLOBAL, TENANT, USER }

    /** The places one accepted login holds. */
    static final class Lease {
        private final AtomicInteger[] counters;
        private final AtomicBoolean released = new AtomicBoolean();

        private Lease(AtomicInteger... counters) {
            this.counters = counters;
        }

        /** Gives the places back; true the first time only. */
        boolean release() {
            if (!released.compareAndSet(false, true)) {
                return false;
            }
            for (AtomicInteger c : counters) {
                c.decrementAndGet();
            }
            return true;
        }
    }

    /** A lease, or the limit that refused it. */
    record Result(Lease lease, Refusal refusal, int limit) {
    }

    private final AtomicInteger global = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> tenants = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> users = new ConcurrentHashMap<>();

    Result acquire(String user, String tenant, String cluster, WhitelistConfig limits) {
        if (!tryIncrement(global, limits.maxConnections)) {
            return new Result(null, Refusal.GLOBAL, limits.maxConnections);
        }
        AtomicInteger t = counter(tenants, tenant + "#" + cluster);
        int tl = limits.tenantLimit(tenant, cluster);
        if (!tryIncrement(t, tl)) {
            global.decrementAndGet();
            return new Result(null, Refusal.TENANT, tl);
        }
        AtomicInteger u = counter(users, user + "@" + tenant + "#" + cluster);
        int ul = limits.userLimit(user, tenant, cluster);
        if (!tryIncrement(u, ul)) {
            t.decrementAndGet();
            global.decrementAndGet();
            return new Result(null, Refusal.USER, ul);
        }
        return new Result(new Lease(global, t, u), null, 0);
    }

    /**
     * A lease past the limits, for a login admitted because an idle session of the same scope is being closed: the
     * counts exceed the limit until that session's logout gives its place back.
     */
    Lease acquireOver(String user, String tenant, String cluster) {
        AtomicInteger t = counter(tenants, tenant + "#" + cluster);
        AtomicInteger u = counter(users, user + "@" + tenant + "#" + cluster);
        global.incrementAndGet();
        t.incrementAndGet();
        u.incrementAndGet();
        return new Lease(global, t, u);
    }

    private static AtomicInteger counter(ConcurrentHashMap<String, AtomicInteger> map, String key) {
        AtomicInteger c = map.get(key);
        return c != null ? c : map.computeIfAbsent(key, k -> new AtomicInteger());
    }

    /** Adds one unless that would pass {@code limit} (negative: no limit). */
    static boolean tryIncrement(AtomicInteger n, int limit) {
        if (limit < 0) {
            n.incrementAndGet();
            return true;
        }
        for (;;) {
            int c = n.get();
            if (c >= limit) {
                return false;
            }
            if (n.compareAndSet(c, c + 1)) {
                return true;
            }
        }
    }

    int global() {
        return global.get();
    }

    /** Open connections per tenant ({@code tenant#cluster}), those with at least one. */
    Map<String, Integer> tenants() {
        return snapshot(tenants);
    }

    /** Open connections per account ({@code user@tenant#cluster}), those with at least one. */
    Map<String, Integer> users() {
        return snapshot(users);
    }

    private static Map<String, Integer> snapshot(Map<String, AtomicInteger> map) {
        Map<String, Integer> out = new TreeMap<>();
        map.forEach((k, v) -> {
            int n = v.get();
            if (n > 0) {
                out.put(k, n);
            }
        });
        return out;
    }
}
