package dev.junction.primaryzone;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code etc/dev.junction.primaryzone.cfg}, validated whole: the global switch, a global override, and per tenant
 * a switch and a primary zone that replaces the metadata's.
 */
final class PrimaryZoneConfig {

    static final String PID = "dev.junction.primaryzone";
    static final String FILE = "etc/" + PID + ".cfg";
    static final PrimaryZoneConfig DEFAULT = new PrimaryZoneConfig(true, null, Map.of(), Map.of());

    final boolean enabled;
    /** Replaces every tenant's primary zone when set. */
    final PrimaryZone override;
    /** Keyed {@code tenant} or {@code tenant#cluster}, lower case. */
    final Map<String, PrimaryZone> tenantZones;
    final Map<String, Boolean> tenantEnabled;

    private PrimaryZoneConfig(boolean enabled, PrimaryZone override, Map<String, PrimaryZone> tenantZones,
            Map<String, Boolean> tenantEnabled) {
        this.enabled = enabled;
        this.override = override;
        this.tenantZones = tenantZones;
        this.tenantEnabled = tenantEnabled;
    }

    /** A refused configuration: names the file, the key and the problem. */
    static final class Invalid extends Exception {
        Invalid(String key, String problem) {
            super(FILE + ": " + key + ": " + problem);
        }
    }

    static PrimaryZoneConfig parse(Map<String, ?> properties) throws Invalid {
        boolean enabled = true;
        PrimaryZone override = null;
        Map<String, PrimaryZone> zones = new HashMap<>();
        Map<String, Boolean> switches = new HashMap<>();
        for (Map.Entry<String, ?> e : properties.entrySet()) {
            String key = e.getKey();
            String value = String.valueOf(e.getValue()).trim();
            if (isFrameworkKey(key)) {
                continue;
            }
            if (key.equals("enabled")) {
                enabled = bool(key, value);
            } else if (key.equals("primary_zone")) {
                override = value.isEmpty() ? null : zone(key, value);
            } else if (key.startsWith("tenant.") && key.endsWith(".primary_zone")) {
                String tenant = tenantOf(key, ".primary_zone");
                if (!value.isEmpty()) {
                    zones.put(tenant, zone(key, value));
                }
            } else if (key.startsWith("tenant.") && key.endsWith(".enabled")) {
                switches.put(tenantOf(key, ".enabled"), bool(key, value));
            } else {
                throw new Invalid(key, "unknown key (expected enabled, primary_zone, tenant.<tenant>[#<cluster>].primary_zone"
                        + " or tenant.<tenant>[#<cluster>].enabled)");
            }
        }
        return new PrimaryZoneConfig(enabled, override, Map.copyOf(zones), Map.copyOf(switches));
    }

    /** Properties DS, ConfigAdmin and File Install add (component and service properties, file name). */
    private static boolean isFrameworkKey(String key) {
        return key.startsWith("service.") || key.startsWith("component.") || key.startsWith("felix.")
                || key.startsWith("osgi.") || key.startsWith("junction.") || key.equals("objectClass")
                || key.startsWith(".");
    }

    private static String tenantOf(String key, String suffix) throws Invalid {
        String t = key.substring("tenant.".length(), key.length() - suffix.length()).trim();
        if (t.isEmpty() || t.contains(" ")) {
            throw new Invalid(key, "expected tenant.<tenant>" + suffix + " or tenant.<tenant>#<cluster>" + suffix);
        }
        return t.toLowerCase(Locale.ROOT);
    }

    private static PrimaryZone zone(String key, String value) throws Invalid {
        try {
            return PrimaryZone.parse(value);
        } catch (PrimaryZone.Malformed m) {
            throw new Invalid(key, m.getMessage());
        }
    }

    private static boolean bool(String key, String value) throws Invalid {
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new Invalid(key, "'" + value + "' is not true or false");
    }

    boolean enabledFor(String tenant, String cluster) {
        Boolean b = tenantEnabled.isEmpty() ? null : lookup(tenantEnabled, tenant, cluster);
        return b != null ? b : enabled;
    }

    /** The configured primary zone for the tenant (override first), or null to read the metadata. */
    PrimaryZone configured(String tenant, String cluster) {
        if (override != null) {
            return override;
        }
        return tenantZones.isEmpty() ? null : lookup(tenantZones, tenant, cluster);
    }

    private static <T> T lookup(Map<String, T> m, String tenant, String cluster) {
        String t = tenant == null ? "" : tenant.toLowerCase(Locale.ROOT);
        T v = m.get(t + "#" + (cluster == null ? "" : cluster.toLowerCase(Locale.ROOT)));
        return v != null ? v : m.get(t);
    }
}
