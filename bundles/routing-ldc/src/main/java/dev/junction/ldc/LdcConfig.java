package dev.junction.ldc;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code etc/dev.junction.ldc.cfg}, validated whole before it replaces the current one. */
final class LdcConfig {

    static final String PID = "dev.junction.ldc";
    static final String FILE = "etc/" + PID + ".cfg";
    static final LdcConfig DEFAULT = new LdcConfig("", RoutePolicy.MERGE_IDC_ORDER, Set.of(), 10_000, 1_000, 2_000);
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m)?");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]*");

    /** The proxy's IDC; empty when unknown (LDC classing off). */
    final String idc;
    final RoutePolicy routePolicy;
    /** Clusters that are MySQL/MariaDB replication (primary and replicas described as zones), lower case. */
    final Set<String> replicationClusters;
    final long maxLagMillis;
    final long lagCheckIntervalMillis;
    final long lagCheckTimeoutMillis;

    LdcConfig(String idc, RoutePolicy routePolicy, Set<String> replicationClusters, long maxLagMillis,
            long lagCheckIntervalMillis, long lagCheckTimeoutMillis) {
        this.idc = idc;
        this.routePolicy = routePolicy;
        this.replicationClusters = replicationClusters;
        this.maxLagMillis = maxLagMillis;
        this.lagCheckIntervalMillis = lagCheckIntervalMillis;
        this.lagCheckTimeoutMillis = lagCheckTimeoutMillis;
    }

    /** A refused configuration: names the file, the key and the problem. */
    static final class Invalid extends Exception {
        Invalid(String key, String problem) {
            super(FILE + ": " + key + ": " + problem);
        }
    }

    static LdcConfig parse(Map<String, ?> properties) throws Invalid {
        String idc = "";
        RoutePolicy policy = RoutePolicy.MERGE_IDC_ORDER;
        Set<String> clusters = new HashSet<>();
        long maxLag = DEFAULT.maxLagMillis;
        long interval = DEFAULT.lagCheckIntervalMillis;
        long timeout = DEFAULT.lagCheckTimeoutMillis;
        for (Map.Entry<String, ?> e : properties.entrySet()) {
            String key = e.getKey();
            String value = String.valueOf(e.getValue()).trim();
            switch (key) {
                case "proxy_idc_name":
                    if (!NAME.matcher(value).matches()) {
                        throw new Invalid(key, "'" + value + "' is not an IDC name (letters, digits, '_', '-', '.')");
                    }
                    idc = value;
                    break;
                case "proxy_route_policy":
                    policy = RoutePolicy.named(value);
                    if (policy == null) {
                        throw new Invalid(key, "unknown route policy '" + value + "' (expected MERGE_IDC_ORDER,"
                                + " FOLLOWER_FIRST, UNMERGE_FOLLOWER_FIRST or FOLLOWER_ONLY)");
                    }
                    break;
                case "replication_clusters":
                    for (String c : value.split(",")) {
                        String t = c.trim();
                        if (!t.isEmpty()) {
                            if (!NAME.matcher(t).matches()) {
                                throw new Invalid(key, "'" + t + "' is not a cluster name");
                            }
                            clusters.add(t.toLowerCase(Locale.ROOT));
                        }
                    }
                    break;
                case "max_replica_lag":
                    maxLag = duration(key, value, 0, 86_400_000L);
                    break;
                case "replica_lag_check_interval":
                    interval = duration(key, value, 100, 3_600_000L);
                    break;
                case "replica_lag_check_timeout":
                    timeout = duration(key, value, 100, 60_000L);
                    break;
                default:
                    if (!isFrameworkKey(key)) {
                        throw new Invalid(key, "unknown key (expected proxy_idc_name, proxy_route_policy,"
                                + " replication_clusters, max_replica_lag, replica_lag_check_interval or"
                                + " replica_lag_check_timeout)");
                    }
            }
        }
        return new LdcConfig(idc, policy, Set.copyOf(clusters), maxLag, interval, timeout);
    }

    /** Properties DS, ConfigAdmin and File Install add (component and service properties, file name). */
    static boolean isFrameworkKey(String key) {
        return key.startsWith("service.") || key.startsWith("component.") || key.startsWith("felix.")
                || key.startsWith("osgi.") || key.startsWith("junction.") || key.equals("objectClass")
                || key.startsWith(".");
    }

    private static long duration(String key, String value, long min, long max) throws Invalid {
        Matcher m = DURATION.matcher(value);
        if (!m.matches()) {
            throw new Invalid(key, "'" + value + "' is not a duration (e.g. 500ms, 10s, 1m)");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        long ms = unit.equals("m") ? n * 60_000L : unit.equals("s") ? n * 1000L : n;
        if (ms < min || ms > max) {
            throw new Invalid(key, "'" + value + "' is out of range (" + min + "ms to " + max / 1000 + "s)");
        }
        return ms;
    }

    @Override
    public String toString() {
        return "proxy_idc_name " + (idc.isEmpty() ? "(unknown: LDC off)" : idc) + ", proxy_route_policy " + routePolicy
                + ", replication_clusters " + replicationClusters + ", max_replica_lag " + maxLagMillis + "ms";
    }
}
