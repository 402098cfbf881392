package dev.junction.core.it;

import dev.junction.core.admin.AdminService;
import dev.junction.core.admin.ConfigStore;
import dev.junction.core.auth.AccountStore;
import dev.junction.core.auth.AccountsConfig;
import dev.junction.core.auth.NativePassword;
import dev.junction.core.cluster.ClusterConfig;
import dev.junction.core.cluster.ClusterRegistry;
import dev.junction.core.proxy.ProxyConfig;
import dev.junction.core.proxy.ProxyServer;
import dev.junction.core.routing.RoutingPipeline;
import dev.junction.core.routing.RoutingServices;
import java.util.concurrent.ConcurrentHashMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Junction listener on a free port in front of the test databases: cluster {@code demo}, tenant {@code app}.
 * SPI services are registered on {@link #services}; {@code root@proxysys} logs in with {@link #ADMIN_PASSWORD}.
 */
public final class JunctionFixture implements AutoCloseable {

    static {
        LeakRecorder.install();
    }

    public static final String ADMIN_PASSWORD = "admin-secret";

    public final ProxyServer server;
    public final int port;
    public final List<Integer> dbPorts;
    public final RoutingServices services;
    public final RoutingPipeline routing;
    public final AdminService admin;
    /** The static cluster configuration (cluster {@code demo}). */
    public final ClusterRegistry clusters;
    /** The accounts Junction logs clients in with. */
    public final AccountStore accounts;
    /** The configuration store admin commands read and write (in memory, by PID). */
    public final Map<String, Map<String, Object>> configs;

    private JunctionFixture(ProxyServer server, int port, List<Integer> dbPorts, RoutingServices services,
            RoutingPipeline routing, AdminService admin, Map<String, Map<String, Object>> configs,
            ClusterRegistry clusters, AccountStore accounts) {
        this.clusters = clusters;
        this.accounts = accounts;
        this.server = server;
        this.port = port;
        this.dbPorts = dbPorts;
        this.services = services;
        this.routing = routing;
        this.admin = admin;
        this.configs = configs;
    }

    public static JunctionFixture start(Map<String, String> proxySettings) throws Exception {
        return start(proxySettings, TestDatabases.ports());
    }

    /** In front of the given servers instead of the shared ones: zone z<i> holds server i (from 1). */
    public static JunctionFixture start(Map<String, String> proxySettings, List<Integer> dbPorts) throws Exception {
        Map<String, Object> cluster = clusterProperties(dbPorts);
        ClusterRegistry clusters = new ClusterRegistry();
        clusters.put(ClusterConfig.parse(cluster));
        AccountStore accounts = new AccountStore();
        Map<String, Object> acc = new HashMap<>();
        acc.put("user.app@app#demo", NativePassword.formatHash(NativePassword.stage2(TestDatabases.PASSWORD)));
        accounts.replace(AccountsConfig.SOURCE, AccountsConfig.parse(acc).accounts());
        Map<String, Object> proxy = new HashMap<>();
        proxy.put("listen_host", "127.0.0.1");
        proxy.put("listen_port", "1");
        proxy.put("default_cluster", "demo");
        proxy.put("default_tenant", "app");
        // MariaDB 10.11 has tx_isolation but not transaction_isolation, which MySQL Connector/J reads from
        // servers announcing 5.7.20 or later
        proxy.put("server_version", "5.7.19-Junction-0.1.0");
        proxy.putAll(proxySettings);
        ProxyConfig cfg = ProxyConfig.parse(proxy);
        // port 0: a free port (ProxyConfig insists on 1..65535, so go around it for tests)
        cfg = new ProxyConfig(cfg.listenHost(), 0, cfg.workerThreads(), cfg.defaultCluster(), cfg.defaultTenant(),
                cfg.serverVersion(), cfg.connectTimeoutMillis(), cfg.loginTimeoutMillis(), cfg.clientIdleTimeoutMillis(),
                cfg.queryTimeoutMillis(), cfg.queryTimeoutMarginMillis(), cfg.tlsCert(), cfg.tlsKey(), cfg.maxPacketSize(),
                cfg.maxClientConnections(), cfg.nativeTransport(), cfg.mariadbCacheMetadata());
        Map<String, Map<String, Object>> configs = new ConcurrentHashMap<>();
        configs.put(ProxyConfig.PID, new HashMap<>(proxy));
        Map<String, Object> adminCfg = new HashMap<>();
        adminCfg.put("password", NativePassword.formatHash(NativePassword.stage2(ADMIN_PASSWORD)));
        configs.put("dev.junction.admin", adminCfg);
        ConfigStore store = new ConfigStore() {
            @Override
            public Map<String, Object> read(String pid) {
                return new HashMap<>(configs.getOrDefault(pid, Map.of()));
            }

            @Override
            public void write(String pid, Map<String, Object> properties) {
                configs.put(pid, new HashMap<>(properties));
            }
        };
        RoutingServices services = new RoutingServices();
        RoutingPipeline routing = new RoutingPipeline(services);
        AdminService admin = new AdminService(routing, clusters, store, "test-version", adminCfg);
        ProxyServer server = new ProxyServer(cfg, clusters, accounts, routing, admin);
        int port = server.start().getPort();
        admin.attach(server.sessions());
        return new JunctionFixture(server, port, dbPorts, services, routing, admin, configs, clusters, accounts);
    }

    /** The properties of cluster {@code demo}'s file: one zone per server, tenant {@code app} over all. */
    public static Map<String, Object> clusterProperties(List<Integer> dbPorts) {
        Map<String, Object> cluster = new HashMap<>();
        cluster.put("name", "demo");
        cluster.put("id", "1");
        List<String> zones = new java.util.ArrayList<>();
        for (int i = 0; i < dbPorts.size(); i++) {
            String z = "z" + (i + 1);
            zones.add(z);
            cluster.put("zone." + z + ".region", "hangzhou");
            cluster.put("zone." + z + ".idc", "hz" + (i + 1));
            cluster.put("zone." + z + ".servers", "127.0.0.1:" + dbPorts.get(i));
        }
        cluster.put("zones", String.join(",", zones));
        cluster.put("tenants", "app");
        cluster.put("tenant.app.zones", String.join(",", zones));
        return cluster;
    }

    public String mariadbUrl(String params) {
        return TestDatabases.mariadbUrl(port, params);
    }

    public String mysqlUrl(String params) {
        return TestDatabases.mysqlUrl(port, params);
    }

    /** Stops the listener and fails when the paranoid leak detector reported any buffer leak so far. */
    @Override
    public void close() {
        server.close();
        try {
            List<String> leaks = LeakRecorder.collect();
            if (!leaks.isEmpty()) {
                throw new AssertionError("buffer leaks: " + leaks);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
