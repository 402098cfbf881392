package dev.junction.core.config;

/** Parses durations such as {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}; a bare number is milliseconds. */
public final class Durations {

    private Durations() {
    }

    public static long parseMillis(String text) {
        String s = text.trim().toLowerCase();
        long unit;
        String digits;
        if (s.endsWith("ms")) {
            unit = 1;
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
        } else {
            unit = 1;
            digits = s;
        }
        try {
            long n = Long.parseLong(digits.trim());
            if (n < 0) {
                throw new IllegalArgumentException("duration must not be negative: '" + text + "'");
            }
            return Math.multiplyExact(n, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("not a duration (e.g. 500ms, 5s, 2m): '" + text + "'");
        }
    }
}
