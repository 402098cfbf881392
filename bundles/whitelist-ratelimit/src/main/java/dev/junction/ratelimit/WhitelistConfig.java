package dev.junction.ratelimit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed {@code dev.junction.whitelist} configuration, validated whole: one bad key refuses all of it.
 *
 * <pre>
 * rule.&lt;n&gt; = &lt;user&gt;[@&lt;tenant&gt;[#&lt;cluster&gt;]] &lt;address&gt;[,&lt;address&gt;...]
 * max_connections = 8192
 * max_connections.tenant.&lt;tenant&gt;[#&lt;cluster&gt;] = &lt;n&gt;
 * max_connections.user.&lt;user&gt;[@&lt;tenant&gt;[#&lt;cluster&gt;]] = &lt;n&gt;
 * </pre>
 */
final class WhitelistConfig {

    static final String PID = "dev.junction.whitelist";
    static final String FILE = "etc/" + PID + ".cfg";
    static final int DEFAULT_MAX_CONNECTIONS = 8192;
    static final String RULE = "rule.";
    static final String MAX = "max_connections";
    static final String MAX_TENANT = "max_connections.tenant.";
    static final String MAX_USER = "max_connections.user.";
    static final String AT_LIMIT = "at_limit";

    static final WhitelistConfig EMPTY = new WhitelistConfig(List.of(), DEFAULT_MAX_CONNECTIONS, Map.of(), Map.of(),
            false);

    /** A key or value that makes the configuration invalid; the message names the key and the problem. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String key, String problem) {
            super(key + ": " + problem);
        }
    }

    final List<Rule> rules;
    final int maxConnections;
    final Map<String, Integer> tenantLimits;
    final Map<String, Integer> userLimits;
    /** {@code at_limit = close_idle}: a login at a limit closes the least recently used idle session instead. */
    final boolean closeIdleAtLimit;

    private WhitelistConfig(List<Rule> rules, int maxConnections, Map<String, Integer> tenantLimits,
            Map<String, Integer> userLimits, boolean closeIdleAtLimit) {
        this.rules = rules;
        this.maxConnections = maxConnections;
        this.tenantLimits = tenantLimits;
        this.userLimits = userLimits;
        this.closeIdleAtLimit = closeIdleAtLimit;
    }

    /** Keys the framework adds to a configuration; everything else must be ours. */
    static boolean foreign(String key) {
        return key.startsWith("service.") || key.startsWith("component.") || key.startsWith("felix.")
                || key.startsWith("osgi.") || key.startsWith("objectClass");
    }

    static WhitelistConfig parse(Map<String, ?> properties) throws Invalid {
        List<Rule> rules = new ArrayList<>();
        int max = DEFAULT_MAX_CONNECTIONS;
        Map<String, Integer> tenants = new HashMap<>();
        Map<String, Integer> users = new HashMap<>();
        boolean closeIdle = false;
        for (Map.Entry<String, ?> e : properties.entrySet()) {
            String key = e.getKey();
            if (foreign(key)) {
                continue;
            }
            String value = e.getValue() == null ? "" : String.valueOf(e.getValue()).trim();
            try {
                if (key.startsWith(RULE)) {
                    rules.add(Rule.parse(ruleNumber(key), value));
                } else if (key.equals(AT_LIMIT)) {
                    if (!value.equals("refuse") && !value.equals("close_idle")) {
                        throw new IllegalArgumentException("expected refuse or close_idle, got '" + value + "'");
                    }
                    closeIdle = value.equals("close_idle");
                } else if (key.equals(MAX)) {
                    max = limit(value);
                } else if (key.startsWith(MAX_TENANT)) {
                    String t = key.substring(MAX_TENANT.length());
                    if (t.isEmpty() || t.indexOf('*') >= 0 || t.indexOf('@') >= 0 || t.startsWith("#") || t.endsWith("#")) {
                        throw new IllegalArgumentException("expected " + MAX_TENANT + "<tenant>[#<cluster>], no wildcards");
                    }
                    Who who = Who.parse("x@" + t);
                    tenants.put(t.indexOf('#') >= 0 ? who.tenant() + "#" + who.cluster() : who.tenant(), limit(value));
                } else if (key.startsWith(MAX_USER)) {
                    String u = key.substring(MAX_USER.length());
                    if (u.indexOf('*') >= 0 || u.isEmpty() || u.endsWith("@") || u.endsWith("#")
                            || (u.indexOf('#') >= 0 && u.indexOf('@') < 0)) {
                        throw new IllegalArgumentException("expected " + MAX_USER
                                + "<user>[@<tenant>[#<cluster>]], no wildcards");
                    }
                    Who.parse(u);
                    users.put(u, limit(value));
                } else {
                    throw new IllegalArgumentException("unknown key (expected rule.<n>, max_connections, at_limit, "
                            + "max_connections.tenant.<tenant>[#<cluster>], max_connections.user.<user>@<tenant>#<cluster>)");
                }
            } catch (IllegalArgumentException ex) {
                throw new Invalid(key, ex.getMessage());
            }
        }
        rules.sort(Comparator.comparingInt(r -> r.number));
        return new WhitelistConfig(List.copyOf(rules), max, Map.copyOf(tenants), Map.copyOf(users), closeIdle);
    }

    private static int ruleNumber(String key) {
        String n = key.substring(RULE.length());
        if (n.isEmpty() || n.length() > 9 || !n.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("expected rule.<number>");
        }
        return Integer.parseInt(n);
    }

    private static int limit(String value) {
        try {
            int n = Integer.parseInt(value);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a number of connections >= 0, got '" + value + "'");
        }
    }

    /** This configuration with the counters of every rule that {@code old} had unchanged (same number and text). */
    WhitelistConfig keepingCountersOf(WhitelistConfig old) {
        Map<Integer, Rule> before = new HashMap<>();
        for (Rule r : old.rules) {
            before.put(r.number, r);
        }
        List<Rule> merged = new ArrayList<>(rules.size());
        for (Rule r : rules) {
            Rule o = before.get(r.number);
            merged.add(o != null && o.text.equals(r.text) ? o : r);
        }
        return new WhitelistConfig(List.copyOf(merged), maxConnections, tenantLimits, userLimits, closeIdleAtLimit);
    }

    /** The limit for a tenant: {@code <tenant>#<cluster>}, else {@code <tenant>}; -1 when none. */
    int tenantLimit(String tenant, String cluster) {
        Integer n = tenantLimits.get(tenant + "#" + cluster);
        if (n == null) {
            n = tenantLimits.get(tenant);
        }
        return n == null ? -1 : n;
    }

    /** The limit for an account: {@code <user>@<tenant>#<cluster>}, else {@code <user>@<tenant>}, else {@code <user>}. */
    int userLimit(String user, String tenant, String cluster) {
        Integer n = userLimits.get(user + "@" + tenant + "#" + cluster);
        if (n == null) {
            n = userLimits.get(user + "@" + tenant);
        }
        if (n == null) {
            n = userLimits.get(user);
        }
        return n == null ? -1 : n;
    }
}
