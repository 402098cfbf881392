package dev.junction.core.metadata;

import dev.junction.api.topology.ServerAddress;
import dev.junction.core.cluster.ClusterConfig;
import dev.junction.core.config.ConfigException;
import dev.junction.core.config.ConfigValues;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code metadata.*} keys of a cluster file ({@code etc/dev.junction.cluster-<name>.cfg}):
 * <pre>
 * metadata.source = static                # static | oceanbase | config_server
 * metadata.rslist = 10.0.0.1:2881,...     # oceanbase: SQL endpoints that answer metadata queries
 * metadata.config_server_url = http://... # config_server: answers the rslist; {cluster} is replaced
 * metadata.user = proxyro                 # the internal read-only account (e.g. proxyro@sys)
 * metadata.password =                     # its password (plain: Junction must log in with it)
 * metadata.database = oceanbase           # where the metadata tables are
 * metadata.refresh_interval = 20s         # topology poll period
 * metadata.dirty_refetch_delay = 5s       # a dirty route entry is refetched no sooner than this after its last update
 * metadata.connect_timeout = 5s
 * metadata.query_timeout = 5s
 * metadata.error_log_interval = 5m        # a persisting problem is logged again at most this often
 * metadata.route_cache_max = 100000       # route entries per cluster
 * metadata.cache_dir =                    # config_server: where the last good rslist is kept (default data/metadata)
 * </pre>
 */
public record MetadataConfig(String cluster, Source source, List<ServerAddress> rslist, String configServerUrl,
        String user, String password, String database, long refreshIntervalMillis, long dirtyRefetchDelayMillis,
        int connectTimeoutMillis, int queryTimeoutMillis, long errorLogIntervalMillis, int routeCacheMax,
        String cacheDir) {

    /** Where a cluster's metadata comes from. */
    public enum Source {
        STATIC, OCEANBASE, CONFIG_SERVER;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public MetadataConfig {
        rslist = List.copyOf(rslist);
    }

    public static MetadataConfig parse(Map<String, ?> values) throws ConfigException {
        String name = values.get("name") == null ? "?" : values.get("name").toString().trim();
        String src = "etc/" + ClusterConfig.FACTORY_PID + "-" + name + ".cfg";
        ConfigValues v = new ConfigValues(values, src);
        Source source;
        String s = v.string("metadata.source", "static").toLowerCase(Locale.ROOT);
        switch (s) {
            case "static":
                source = Source.STATIC;
                break;
            case "oceanbase":
                source = Source.OCEANBASE;
                break;
            case "config_server":
                source = Source.CONFIG_SERVER;
                break;
            default:
                throw new ConfigException(src + ": metadata.source must be static, oceanbase or config_server, got '"
                        + s + "'");
        }
        List<ServerAddress> rslist = new ArrayList<>();
        for (String a : v.string("metadata.rslist", "").split("[,;]")) {
            if (!a.isBlank()) {
                try {
                    rslist.add(ServerAddress.parse(a));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(src + ": metadata.rslist: " + e.getMessage());
                }
            }
        }
        String url = v.string("metadata.config_server_url", "");
        if (source == Source.OCEANBASE && rslist.isEmpty()) {
            throw new ConfigException(src + ": metadata.source = oceanbase needs metadata.rslist (host:port,...)");
        }
        if (source == Source.CONFIG_SERVER) {
            if (url.isEmpty()) {
                throw new ConfigException(src + ": metadata.source = config_server needs metadata.config_server_url");
            }
            try {
                URI u = new URI(url.replace("{cluster}", "x"));
                if (!"http".equalsIgnoreCase(u.getScheme()) && !"https".equalsIgnoreCase(u.getScheme())) {
                    throw new ConfigException(src + ": metadata.config_server_url must be http(s), got '" + url + "'");
                }
            } catch (URISyntaxException e) {
                throw new ConfigException(src + ": metadata.config_server_url: " + e.getMessage());
            }
        }
        String database = v.string("metadata.database", "oceanbase");
        if (!database.matches("[A-Za-z0-9_$]+")) {
            throw new ConfigException(src + ": metadata.database must be a plain identifier, got '" + database + "'");
        }
        long refresh = v.duration("metadata.refresh_interval", 20_000);
        long dirty = v.duration("metadata.dirty_refetch_delay", 5_000);
        long connect = v.duration("metadata.connect_timeout", 5_000);
        long query = v.duration("metadata.query_timeout", 5_000);
        if (refresh < 100) {
            throw new ConfigException(src + ": metadata.refresh_interval must be at least 100ms");
        }
        if (connect < 1 || connect > Integer.MAX_VALUE || query < 1 || query > Integer.MAX_VALUE) {
            throw new ConfigException(src + ": metadata.connect_timeout and metadata.query_timeout must be positive");
        }
        return new MetadataConfig(name, source, rslist, url, v.string("metadata.user", "proxyro"),
                values.get("metadata.password") == null ? "" : values.get("metadata.password").toString(), database,
                refresh, dirty, (int) connect, (int) query, v.duration("metadata.error_log_interval", 300_000),
                v.integer("metadata.route_cache_max", 100_000, 1, Integer.MAX_VALUE),
                v.string("metadata.cache_dir", ""));
    }

    /** Everything but the interval values, to tell whether a change needs a new source. */
    boolean sameSource(MetadataConfig o) {
        return o != null && source == o.source && rslist.equals(o.rslist) && configServerUrl.equals(o.configServerUrl)
                && user.equals(o.user) && password.equals(o.password) && database.equals(o.database)
                && cacheDir.equals(o.cacheDir);
    }
}
