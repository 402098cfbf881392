package dev.junction.core.proxy;

import dev.junction.core.config.ConfigException;
import dev.junction.core.config.ConfigValues;
import java.util.Map;

/**
 * The listener's settings (PID {@code dev.junction.proxy}, file {@code etc/dev.junction.proxy.cfg}).
 * Parsed and validated whole; a bad file is refused and the running settings stay.
 *
 * @param listenHost {@code listen_host}, default {@code 0.0.0.0}
 * @param listenPort {@code listen_port}, default 2883
 * @param workerThreads {@code worker_threads}, default 0 (one per core)
 * @param defaultCluster {@code default_cluster}: cluster for user names that name none (default empty: none)
 * @param defaultTenant {@code default_tenant}: tenant for user names that name none (default empty: none)
 * @param serverVersion {@code server_version}: what the handshake announces, default {@code 5.7.25-Junction-0.1.0}
 * @param connectTimeoutMillis {@code connect_timeout}: TCP connect plus login to a server, default 5s
 * @param loginTimeoutMillis {@code login_timeout}: a client must finish logging in within this, default 10s
 * @param clientIdleTimeoutMillis {@code client_idle_timeout}: idle clients are closed after this, default 8h (0 = never)
 * @param queryTimeoutMillis {@code query_timeout}: how long a statement may run on a server, default 1h
 * @param queryTimeoutMarginMillis {@code query_timeout_margin}: extra silence allowed beyond query_timeout
 *        before Junction gives up on a server connection, default 20s
 * @param tlsCert {@code tls_cert}: PEM certificate chain for TLS to clients (default empty: no TLS)
 * @param tlsKey {@code tls_key}: PEM PKCS#8 private key matching tls_cert
 * @param maxPacketSize {@code max_packet_size}: largest client packet accepted, default 64 MiB
 * @param maxClientConnections {@code max_client_connections}: default 8192
 * @param nativeTransport {@code native_transport}: use Linux native epoll when it loads (default true; false = the
 *        JDK's NIO). Native epoll costs less CPU per forwarded statement.
 * @param mariadbCacheMetadata {@code mariadb_cache_metadata}: offer MariaDB clients metadata caching (default true)
 *        when {@code server_version} is MariaDB-style (it names MariaDB, as in {@code 5.5.5-10.11.5-MariaDB-Junction}:
 *        MariaDB clients use MariaDB's extended capabilities only with such servers): servers that support it (MariaDB 10.6 and later) leave out the
 *        column definitions of a prepared statement's results while the client has them; for other servers Junction
 *        adds the flag byte such clients expect.
 */
public record ProxyConfig(String listenHost, int listenPort, int workerThreads, String defaultCluster,
        String defaultTenant, String serverVersion, long connectTimeoutMillis, long loginTimeoutMillis,
        long clientIdleTimeoutMillis, long queryTimeoutMillis, long queryTimeoutMarginMillis, String tlsCert,
        String tlsKey, int maxPacketSize, int maxClientConnections, boolean nativeTransport, boolean mariadbCacheMetadata) {

    public static final String PID = "dev.junction.proxy";
    public static final String DEFAULT_SERVER_VERSION = "5.7.25-Junction-0.1.0";

    public static ProxyConfig parse(Map<String, ?> values) throws ConfigException {
        String source = "etc/" + PID + ".cfg";
        ConfigValues v = new ConfigValues(values, source);
        String tlsCert = v.string("tls_cert", "");
        String tlsKey = v.string("tls_key", "");
        if (tlsCert.isEmpty() != tlsKey.isEmpty()) {
            throw new ConfigException(source + ": tls_cert and tls_key must be set together");
        }
        for (String key : new String[] {"tls_cert", "tls_key"}) {
            String file = v.string(key, "");
            if (!file.isEmpty() && !java.nio.file.Files.isReadable(java.nio.file.Path.of(file))) {
                throw new ConfigException(source + ": " + key + ": cannot read '" + file + "'");
            }
        }
        String version = v.string("server_version", DEFAULT_SERVER_VERSION);
        if (version.isEmpty() || !Character.isDigit(version.charAt(0))) {
            throw new ConfigException(source + ": server_version must start with a version number, got '" + version + "'");
        }
        long connect = positive(v, source, "connect_timeout", 5_000);
        long login = positive(v, source, "login_timeout", 10_000);
        return new ProxyConfig(
                v.string("listen_host", "0.0.0.0"),
                v.integer("listen_port", 2883, 1, 65535),
                v.integer("worker_threads", 0, 0, 1024),
                v.string("default_cluster", ""),
                v.string("default_tenant", ""),
                version,
                connect,
                login,
                v.duration("client_idle_timeout", 8 * 3_600_000L),
                positive(v, source, "query_timeout", 3_600_000L),
                v.duration("query_timeout_margin", 20_000),
                tlsCert,
                tlsKey,
                v.integer("max_packet_size", 64 << 20, 4096, 1 << 30),
                v.integer("max_client_connections", 8192, 1, 1_000_000),
                v.bool("native_transport", true),
                v.bool("mariadb_cache_metadata", true));
    }

    private static long positive(ConfigValues v, String source, String key, long fallback) throws ConfigException {
        long ms = v.duration(key, fallback);
        if (ms <= 0) {
            throw new ConfigException(source + ": " + key + " must be greater than 0");
        }
        return ms;
    }

    /** Whether the handshake offers MariaDB's extended capabilities (metadata caching). */
    public boolean offersMariadbCapabilities() {
        // MariaDB Connector/C reads them only from servers whose version names MariaDB
        return mariadbCacheMetadata && serverVersion.contains("MariaDB");
    }

    public boolean tlsEnabled() {
        return !tlsCert.isEmpty();
    }

    /** How long a server may stay silent during a statement before Junction gives up on it. */
    public long serverSilenceMillis() {
        return queryTimeoutMillis + queryTimeoutMarginMillis;
    }
}
