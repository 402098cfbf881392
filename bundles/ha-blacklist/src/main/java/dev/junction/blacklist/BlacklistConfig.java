package dev.junction.blacklist;

import java.util.Locale;
import java.util.Map;

/**
 * The thresholds of {@code etc/dev.junction.blacklist.cfg}, validated as a whole. Defaults are OBProxy's: probe
 * {@code select 'detect server alive' from dual} with a 5 s timeout, dead after 3 failed probes in a row; 5
 * failures of real traffic within 120 s blacklist a server, one trial statement goes there after 20 s; a bad
 * metadata state is held at least 20 s.
 */
final class BlacklistConfig {

    static final String PID = "dev.junction.blacklist";
    static final String FILE = "etc/" + PID + ".cfg";

    /** Which servers are probed. */
    enum DetectMode {
        /** Every server of every cluster. */
        ALL,
        /** Servers with real traffic or failures within {@code detect_recent}, and those the probes hold dead. */
        USED,
        /** None: the detect blacklist stays empty. */
        NONE
    }

    static final BlacklistConfig DEFAULTS;

    static {
        try {
            DEFAULTS = parse(Map.of());
        } catch (Invalid e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final long stateMinHoldMillis;
    final DetectMode detectMode;
    final long detectIntervalMillis;
    final long detectTimeoutMillis;
    final int detectFailures;
    final String detectSql;
    final long detectRecentMillis;
    final int unavailableFailures;
    final long unavailableWindowMillis;
    final long unavailableRetryMillis;

    private BlacklistConfig(Values v) throws Invalid {
        stateMinHoldMillis = v.duration("state_min_hold", 20_000, 0, 3_600_000);
        detectMode = v.mode("detect_mode", DetectMode.ALL);
        detectIntervalMillis = v.duration("detect_interval", 1_000, 100, 3_600_000);
        detectTimeoutMillis = v.duration("detect_timeout", 5_000, 100, 600_000);
        detectFailures = v.integer("detect_failures", 3, 1, 100);
        detectSql = v.string("detect_sql", "select 'detect server alive' from dual");
        detectRecentMillis = v.duration("detect_recent", 120_000, 1_000, 86_400_000);
        unavailableFailures = v.integer("unavailable_failures", 5, 1, 100_000);
        unavailableWindowMillis = v.duration("unavailable_window", 120_000, 1_000, 86_400_000);
        unavailableRetryMillis = v.duration("unavailable_retry_interval", 20_000, 100, 86_400_000);
        v.noUnknownKeys();
    }

    /** The configuration of {@code properties} (ConfigAdmin's, File Install's keys ignored), or why it is refused. */
    static BlacklistConfig parse(Map<String, ?> properties) throws Invalid {
        return new BlacklistConfig(new Values(properties));
    }

    /** A refused configuration: the message names the file, the key and the problem. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message);
        }
    }

    private static final class Values {
        private static final java.util.Set<String> KEYS = java.util.Set.of("state_min_hold", "detect_mode",
                "detect_interval", "detect_timeout", "detect_failures", "detect_sql", "detect_recent",
                "unavailable_failures", "unavailable_window", "unavailable_retry_interval");
        private final Map<String, ?> values;

        Values(Map<String, ?> values) {
            this.values = values;
        }

        private String raw(String key) {
            Object v = values.get(key);
            return v == null ? null : v.toString().trim();
        }

        long duration(String key, long fallback, long min, long max) throws Invalid {
            String s = raw(key);
            if (s == null || s.isEmpty()) {
                return fallback;
            }
            long ms = parseMillis(key, s);
            if (ms < min || ms > max) {
                throw new Invalid(FILE + ": " + key + " must be between " + show(min) + " and " + show(max)
                        + ", got '" + s + "'");
            }
            return ms;
        }

        int integer(String key, int fallback, int min, int max) throws Invalid {
            String s = raw(key);
            if (s == null || s.isEmpty()) {
                return fallback;
            }
            try {
                int n = Integer.parseInt(s);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new Invalid(FILE + ": " + key + " must be a whole number from " + min + " to " + max + ", got '"
                    + s + "'");
        }

        String string(String key, String fallback) throws Invalid {
            String s = raw(key);
            if (s == null || s.isEmpty()) {
                return fallback;
            }
            if (s.indexOf(';') >= 0) {
                throw new Invalid(FILE + ": " + key + " must be one statement without ';', got '" + s + "'");
            }
            return s;
        }

        DetectMode mode(String key, DetectMode fallback) throws Invalid {
            String s = raw(key);
            if (s == null || s.isEmpty()) {
                return fallback;
            }
            try {
                return DetectMode.valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new Invalid(FILE + ": " + key + " must be all, used or none, got '" + s + "'");
            }
        }

        void noUnknownKeys() throws Invalid {
            for (String k : values.keySet()) {
                // DS hands the component's own properties (junction.check.name) over with the file's
                if (!KEYS.contains(k) && !k.startsWith("felix.") && !k.startsWith("service.")
                        && !k.startsWith("component.") && !k.startsWith("osgi.") && !k.startsWith("junction.")
                        && !k.equals("objectClass")) {
                    throw new Invalid(FILE + ": unknown key " + k + " (known: " + String.join(", ", new java.util.TreeSet<>(KEYS)) + ")");
                }
            }
        }

        private static long parseMillis(String key, String text) throws Invalid {
            String s = text.toLowerCase(Locale.ROOT);
            long unit = 1;
            String digits = s;
            if (s.endsWith("ms")) {
                digits = s.substring(0, s.length() - 2);
            } else if (s.endsWith("s")) {
                unit = 1000;
                digits = s.substring(0, s.length() - 1);
            } else if (s.endsWith("m")) {
                unit = 60_000;
                digits = s.substring(0, s.length() - 1);
            } else if (s.endsWith("h")) {
                unit = 3_600_000;
                digits = s.substring(0, s.length() - 1);
            }
            try {
                long n = Long.parseLong(digits.trim());
                if (n >= 0) {
                    return Math.multiplyExact(n, unit);
                }
            } catch (NumberFormatException | ArithmeticException e) {
                // reported below
            }
            throw new Invalid(FILE + ": " + key + " is not a duration (e.g. 500ms, 5s, 2m): '" + text + "'");
        }

        private static String show(long ms) {
            return ms % 3_600_000 == 0 ? ms / 3_600_000 + "h" : ms % 60_000 == 0 ? ms / 60_000 + "m"
                    : ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
        }
    }
}
