package dev.junction.core.cluster;

import dev.junction.api.topology.ServerAddress;
import dev.junction.api.topology.Zone;
import dev.junction.core.config.ConfigException;
import dev.junction.core.config.ConfigValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A static cluster description from one factory configuration ({@code etc/dev.junction.cluster-<name>.cfg}):
 * <pre>
 * name=demo
 * id=1
 * zones=z1,z2
 * zone.z1.region=hangzhou
 * zone.z1.idc=hz1
 * zone.z1.servers=127.0.0.1:3307,127.0.0.1:3308
 * tenants=app
 * tenant.app.zones=z1,z2
 * </pre>
 * With {@code metadata.source} other than {@code static}, zones and tenants are optional (they then only
 * seed the topology until the first metadata poll).
 * Names of clusters and tenants are case-insensitive.
 */
public record ClusterConfig(String name, long id, Map<String, ZoneConfig> zones, Map<String, TenantConfig> tenants) {

    public static final String FACTORY_PID = "dev.junction.cluster";

    public ClusterConfig {
        zones = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(zones));
        tenants = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tenants));
    }

    public TenantConfig tenant(String tenantName) {
        return tenants.get(tenantName.toLowerCase(Locale.ROOT));
    }

    public static ClusterConfig parse(Map<String, ?> values) throws ConfigException {
        String nameForSource = values.get("name") == null ? "?" : values.get("name").toString().trim();
        String source = "etc/" + FACTORY_PID + "-" + nameForSource + ".cfg";
        ConfigValues v = new ConfigValues(values, source);
        String name = v.string("name", "");
        if (name.isEmpty()) {
            throw new ConfigException(source + ": name is required");
        }
        long id = v.integer("id", 0, 0, Integer.MAX_VALUE);
        Map<String, ZoneConfig> zones = new LinkedHashMap<>();
        for (String z : list(v.string("zones", ""))) {
            String prefix = "zone." + z + ".";
            List<ServerAddress> servers = new ArrayList<>();
            for (String s : list(v.string(prefix + "servers", ""))) {
                try {
                    servers.add(ServerAddress.parse(s));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(source + ": " + prefix + "servers: " + e.getMessage());
                }
            }
            Zone zone = new Zone(z, v.string(prefix + "region", ""), v.string(prefix + "idc", ""),
                    v.bool(prefix + "merging", false), v.bool(prefix + "read_only", false));
            zones.put(z, new ZoneConfig(zone, servers));
        }
        // clusters whose topology comes from OceanBase metadata may leave zones and tenants out
        boolean staticTopology = v.string("metadata.source", "static").equalsIgnoreCase("static");
        if (zones.isEmpty() && staticTopology) {
            throw new ConfigException(source + ": zones must name at least one zone");
        }
        Map<String, TenantConfig> tenants = new LinkedHashMap<>();
        for (String t : list(v.string("tenants", ""))) {
            String key = "tenant." + t + ".zones";
            List<String> names = list(v.string(key, String.join(",", zones.keySet())));
            List<ZoneConfig> tz = new ArrayList<>();
            List<ServerAddress> servers = new ArrayList<>();
            for (String zn : names) {
                ZoneConfig zc = zones.get(zn);
                if (zc == null) {
                    throw new ConfigException(source + ": " + key + ": unknown zone '" + zn + "'");
                }
                tz.add(zc);
                for (ServerAddress a : zc.servers()) {
                    if (!servers.contains(a)) {
                        servers.add(a);
                    }
                }
            }
            if (servers.isEmpty()) {
                throw new ConfigException(source + ": " + key + ": tenant '" + t + "' has no servers");
            }
            tenants.put(t.toLowerCase(Locale.ROOT), new TenantConfig(t, name, tz, servers));
        }
        if (tenants.isEmpty() && staticTopology) {
            throw new ConfigException(source + ": tenants must name at least one tenant");
        }
        return new ClusterConfig(name, id, zones, tenants);
    }

    private static List<String> list(String csv) {
        List<String> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            if (!s.trim().isEmpty()) {
                out.add(s.trim());
            }
        }
        return out;
    }
}
