package dev.junction.core.config;

import java.util.Map;

/** Typed, validated reads from a ConfigAdmin dictionary; every error names its key. */
public final class ConfigValues {

    private final Map<String, ?> values;
    private final String source;

    public ConfigValues(Map<String, ?> values, String source) {
        this.values = values;
        this.source = source;
    }

    public String string(String key, String fallback) {
        Object v = values.get(key);
        return v == null ? fallback : v.toString().trim();
    }

    public int integer(String key, int fallback, int min, int max) throws ConfigException {
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        int n;
        try {
            n = v instanceof Number ? ((Number) v).intValue() : Integer.parseInt(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(source + ": " + key + " must be an integer, got '" + v + "'");
        }
        if (n < min || n > max) {
            throw new ConfigException(source + ": " + key + " must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }

    public long duration(String key, long fallbackMillis) throws ConfigException {
        Object v = values.get(key);
        if (v == null) {
            return fallbackMillis;
        }
        try {
            return Durations.parseMillis(v.toString());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source + ": " + key + ": " + e.getMessage());
        }
    }

    public boolean bool(String key, boolean fallback) throws ConfigException {
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        String s = v.toString().trim().toLowerCase();
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new ConfigException(source + ": " + key + " must be true or false, got '" + v + "'");
    }
}
