package dev.junction.ratelimit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parsed {@code dev.junction.ratelimit} configuration, validated whole: one bad key refuses all of it.
 *
 * <pre>
 * throttle.&lt;name&gt;.{user,tenant,type,table,digest} = what it covers
 * throttle.&lt;name&gt;.qps / .burst / .concurrency / .max_wait
 * breaker.&lt;name&gt;.{user,tenant,type,table,digest} = what it covers
 * breaker.&lt;name&gt;.error_rate / .slow / .window / .min_statements / .cool_down / .trials
 * </pre>
 */
final class RateLimitConfig {

    static final String PID = "dev.junction.ratelimit";
    static final String FILE = "etc/" + PID + ".cfg";
    static final long DEFAULT_MAX_WAIT_MS = 100;
    static final int DEFAULT_ERROR_RATE = 50;
    static final long DEFAULT_WINDOW_MS = 10_000;
    static final int DEFAULT_MIN_STATEMENTS = 20;
    static final long DEFAULT_COOL_DOWN_MS = 5_000;
    static final int DEFAULT_TRIALS = 3;

    private static final Pattern KEY = Pattern.compile("(throttle|breaker)\\.([A-Za-z0-9_-]+)\\.([a-z_]+)");
    private static final Set<String> MATCH_KEYS = Set.of("user", "tenant", "type", "table", "digest");
    private static final Set<String> THROTTLE_KEYS = Set.of("qps", "burst", "concurrency", "max_wait");
    private static final Set<String> BREAKER_KEYS = Set.of("error_rate", "slow", "window", "min_statements",
            "cool_down", "trials");

    static final RateLimitConfig EMPTY = new RateLimitConfig(new Throttle[0], new Breaker[0]);

    final Throttle[] throttles;
    final Breaker[] breakers;
    /** No rule at all: the statement filter accepts after one read of this flag. */
    final boolean empty;

    private RateLimitConfig(Throttle[] throttles, Breaker[] breakers) {
        this.throttles = throttles;
        this.breakers = breakers;
        this.empty = throttles.length == 0 && breakers.length == 0;
    }

    static RateLimitConfig parse(Map<String, ?> properties) throws WhitelistConfig.Invalid {
        Map<String, Map<String, String>> throttles = new TreeMap<>();
        Map<String, Map<String, String>> breakers = new TreeMap<>();
        for (Map.Entry<String, ?> e : properties.entrySet()) {
            String key = e.getKey();
            if (WhitelistConfig.foreign(key)) {
                continue;
            }
            Matcher m = KEY.matcher(key);
            if (!m.matches()) {
                throw new WhitelistConfig.Invalid(key, "unknown key (expected throttle.<name>.<setting> or "
                        + "breaker.<name>.<setting>)");
            }
            boolean throttle = m.group(1).equals("throttle");
            String setting = m.group(3);
            if (!MATCH_KEYS.contains(setting) && !(throttle ? THROTTLE_KEYS : BREAKER_KEYS).contains(setting)) {
                throw new WhitelistConfig.Invalid(key, "unknown setting '" + setting + "' (a " + m.group(1)
                        + " has user, tenant, type, table, digest, " + (throttle ? "qps, burst, concurrency, max_wait"
                        : "error_rate, slow, window, min_statements, cool_down, trials") + ")");
            }
            String value = e.getValue() == null ? "" : String.valueOf(e.getValue()).trim();
            (throttle ? throttles : breakers).computeIfAbsent(m.group(2), k -> new TreeMap<>()).put(setting, value);
        }
        List<Throttle> ts = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> e : throttles.entrySet()) {
            ts.add(throttle(e.getKey(), e.getValue()));
        }
        List<Breaker> bs = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> e : breakers.entrySet()) {
            bs.add(breaker(e.getKey(), e.getValue()));
        }
        if (ts.size() > 64) {
            throw new WhitelistConfig.Invalid("throttle." + ts.get(64).name, "at most 64 throttle rules");
        }
        return new RateLimitConfig(ts.toArray(new Throttle[0]), bs.toArray(new Breaker[0]));
    }

    private static Match match(String prefix, Map<String, String> s) throws WhitelistConfig.Invalid {
        String key = prefix;
        try {
            for (String k : MATCH_KEYS) {
                if (s.containsKey(k)) {
                    key = prefix + k;
                    Match.parse(k.equals("user") ? s.get(k) : null, k.equals("tenant") ? s.get(k) : null,
                            k.equals("type") ? s.get(k) : null, k.equals("table") ? s.get(k) : null,
                            k.equals("digest") ? s.get(k) : null);
                }
            }
            return Match.parse(s.get("user"), s.get("tenant"), s.get("type"), s.get("table"), s.get("digest"));
        } catch (IllegalArgumentException e) {
            throw new WhitelistConfig.Invalid(key, e.getMessage());
        }
    }

    private static Throttle throttle(String name, Map<String, String> s) throws WhitelistConfig.Invalid {
        String p = "throttle." + name + ".";
        Match match = match(p, s);
        double qps = 0;
        if (s.containsKey("qps")) {
            try {
                qps = Double.parseDouble(s.get("qps"));
            } catch (NumberFormatException e) {
                qps = -1;
            }
            if (!(qps > 0) || qps > 10_000_000) {
                throw new WhitelistConfig.Invalid(p + "qps", "expected statements a second > 0, got '" + s.get("qps") + "'");
            }
        }
        int burst = (int) Math.max(1, Math.ceil(qps / 10));
        if (s.containsKey("burst")) {
            if (qps == 0) {
                throw new WhitelistConfig.Invalid(p + "burst", "a burst needs a qps limit");
            }
            burst = number(p + "burst", s.get("burst"), 1);
        }
        int concurrency = s.containsKey("concurrency") ? number(p + "concurrency", s.get("concurrency"), 0) : -1;
        if (qps == 0 && concurrency < 0) {
            throw new WhitelistConfig.Invalid(p + "qps", "a throttle needs qps or concurrency (or both)");
        }
        long maxWait = s.containsKey("max_wait") ? millis(p + "max_wait", s.get("max_wait")) : DEFAULT_MAX_WAIT_MS;
        return new Throttle(name, s.toString(), match, qps, burst, concurrency, maxWait * 1_000_000L);
    }

    private static Breaker breaker(String name, Map<String, String> s) throws WhitelistConfig.Invalid {
        String p = "breaker." + name + ".";
        Match match = match(p, s);
        int rate = s.containsKey("error_rate") ? number(p + "error_rate", s.get("error_rate").replace("%", "").trim(), 1)
                : DEFAULT_ERROR_RATE;
        if (rate > 100) {
            throw new WhitelistConfig.Invalid(p + "error_rate", "expected a percentage 1..100, got '"
                    + s.get("error_rate") + "'");
        }
        long slow = s.containsKey("slow") ? millis(p + "slow", s.get("slow")) : 0;
        long window = s.containsKey("window") ? millis(p + "window", s.get("window")) : DEFAULT_WINDOW_MS;
        if (window < 100) {
            throw new WhitelistConfig.Invalid(p + "window", "at least 100ms");
        }
        int min = s.containsKey("min_statements") ? number(p + "min_statements", s.get("min_statements"), 1)
                : DEFAULT_MIN_STATEMENTS;
        long coolDown = s.containsKey("cool_down") ? millis(p + "cool_down", s.get("cool_down")) : DEFAULT_COOL_DOWN_MS;
        if (coolDown < 1) {
            throw new WhitelistConfig.Invalid(p + "cool_down", "at least 1ms");
        }
        int trials = s.containsKey("trials") ? number(p + "trials", s.get("trials"), 1) : DEFAULT_TRIALS;
        return new Breaker(name, s.toString(), match, rate, slow * 1_000_000L, window * 1_000_000L, min,
                coolDown * 1_000_000L, trials);
    }

    private static int number(String key, String value, int min) throws WhitelistConfig.Invalid {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new WhitelistConfig.Invalid(key, "expected a whole number >= " + min + ", got '" + value + "'");
    }

    /** {@code 250ms}, {@code 2s}, {@code 1m}, or a bare number of milliseconds. */
    static long millis(String key, String value) throws WhitelistConfig.Invalid {
        String v = value.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (v.endsWith("ms")) {
            v = v.substring(0, v.length() - 2);
        } else if (v.endsWith("s")) {
            v = v.substring(0, v.length() - 1);
            unit = 1000;
        } else if (v.endsWith("m")) {
            v = v.substring(0, v.length() - 1);
            unit = 60_000;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n >= 0 && n <= 86_400_000L / unit) {
                return n * unit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new WhitelistConfig.Invalid(key, "expected a duration such as 250ms, 2s or 1m, got '" + value + "'");
    }

    /** This configuration with the state and counters of every rule {@code old} had with the same definition. */
    RateLimitConfig keepingStateOf(RateLimitConfig old) {
        Map<String, Throttle> ot = new HashMap<>();
        for (Throttle t : old.throttles) {
            ot.put(t.name, t);
        }
        Throttle[] ts = throttles.clone();
        for (int i = 0; i < ts.length; i++) {
            Throttle o = ot.get(ts[i].name);
            if (o != null && o.definition.equals(ts[i].definition)) {
                ts[i] = o;
            }
        }
        Map<String, Breaker> ob = new HashMap<>();
        for (Breaker b : old.breakers) {
            ob.put(b.name, b);
        }
        Breaker[] bs = breakers.clone();
        for (int i = 0; i < bs.length; i++) {
            Breaker o = ob.get(bs[i].name);
            if (o != null && o.definition.equals(bs[i].definition)) {
                bs[i] = o;
            }
        }
        return new RateLimitConfig(ts, bs);
    }
}
