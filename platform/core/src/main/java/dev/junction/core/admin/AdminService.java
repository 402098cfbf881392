package dev.junction.core.admin;

import dev.junction.api.admin.AdminCommand;
import dev.junction.api.admin.AdminCommandException;
import dev.junction.api.admin.AdminTable;
import dev.junction.api.health.DisasterCheck;
import dev.junction.api.health.Verdict;
import dev.junction.api.routing.RoutingPolicy;
import dev.junction.api.session.SessionInfo;
import dev.junction.api.statement.StatementInfo;
import dev.junction.api.topology.Replica;
import dev.junction.core.auth.LoginName;
import dev.junction.core.cluster.ClusterConfig;
import dev.junction.core.cluster.ClusterRegistry;
import dev.junction.core.cluster.TenantConfig;
import dev.junction.core.cluster.ZoneConfig;
import dev.junction.core.config.ConfigException;
import dev.junction.core.proxy.ProxyConfig;
import dev.junction.core.routing.RankedServices;
import dev.junction.core.routing.Route;
import dev.junction.core.routing.RouteCacheView;
import dev.junction.core.routing.RoutingPipeline;
import dev.junction.core.routing.StaticCandidates;
import dev.junction.core.config.CfgFile;
import dev.junction.core.runtime.JunctionRuntime;
import dev.junction.core.session.ClientSession;
import dev.junction.core.session.ServerConnection;
import dev.junction.core.session.SessionRegistry;
import io.netty.channel.ChannelHandler;
import java.io.IOException;
import java.nio.file.Path;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Junction's administration, one method per command, each returning an {@link AdminResult}. Two faces use it:
 * SQL as {@code root@proxysys} ({@link #execute(String)}, answered as MySQL result sets by
 * {@link AdminSqlHandler}) and the {@code junction:} gogo commands.
 */
@Component(service = AdminService.class, configurationPid = AdminConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class AdminService implements AdminLogin {

    private static final Logger LOG = LoggerFactory.getLogger(AdminService.class);

    /** The components whose keys {@code show/alter proxyconfig} handle, and how each validates its whole file. */
    private record Owner(String pid, List<String> keys, Validator validator) {
    }

    @FunctionalInterface
    private interface Validator {
        void validate(Map<String, Object> properties) throws ConfigException;
    }

    private static final List<Owner> OWNERS = List.of(
            new Owner(ProxyConfig.PID, List.of("listen_host", "listen_port", "worker_threads", "default_cluster",
                    "default_tenant", "server_version", "connect_timeout", "login_timeout", "client_idle_timeout",
                    "query_timeout", "query_timeout_margin", "tls_cert", "tls_key", "max_packet_size",
                    "max_client_connections", "native_transport"), ProxyConfig::parse),
            new Owner(RoutingPipeline.PID, List.of("policy_budget"), RoutingPipeline::parseBudgetNanos),
            new Owner(AdminConfig.PID, List.of("password", "allow_remote"), AdminConfig::parse));

    private final RoutingPipeline routing;
    private final ClusterRegistry clusters;
    private final String version;
    private volatile ConfigStore store;
    private volatile AdminConfig config = new AdminConfig(null, false);
    private volatile SessionRegistry sessions;
    private volatile RouteCacheView routes = RouteCacheView.EMPTY;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ConfigurationAdmin configAdmin;

    /** Commands bundles contribute ({@link AdminCommand}), by name. */
    private final java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "junction-admin");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Contributed> contributed = new java.util.concurrent.ConcurrentSkipListMap<>();

    /** A contributed command and its one-line summary. */
    public record Contributed(AdminCommand command, String summary) {
    }

    /** For tests and embedding. */
    public AdminService(RoutingPipeline routing, ClusterRegistry clusters, ConfigStore store, String version,
            Map<String, ?> properties) {
        this.routing = routing;
        this.clusters = clusters;
        this.store = store;
        this.version = version;
        apply(properties);
    }

    @Activate
    public AdminService(@Reference RoutingPipeline routing, @Reference ClusterRegistry clusters,
            @Reference JunctionRuntime runtime, Map<String, Object> properties) {
        this(routing, clusters, null, runtime.version(), properties);
        this.store = new ConfigAdminStore(runtime.etc());
    }

    @Modified
    void modified(Map<String, Object> properties) {
        apply(properties);
    }

    @org.osgi.service.component.annotations.Deactivate
    void deactivate() {
        executor.shutdownNow();
    }

    /** Where the SQL face runs commands: one thread, off the network event loops. */
    public java.util.concurrent.ExecutorService executor() {
        return executor;
    }

    private void apply(Map<String, ?> properties) {
        try {
            config = AdminConfig.parse(properties);
        } catch (ConfigException e) {
            LOG.error("Refusing admin configuration, the old one stays: {}", e.getMessage());
        }
    }

    /** The live sessions of the MySQL listener (set when it starts). */
    public void attach(SessionRegistry registry) {
        this.sessions = registry;
    }

    /** The live sessions of the MySQL listener, or null before it started. */
    public SessionRegistry attachedSessions() {
        return sessions;
    }

    /** Where {@link #routes()} reads the route cache (the metadata layer connects it). */
    public void routeCache(RouteCacheView view) {
        this.routes = view;
    }

    // ---- commands contributed by bundles

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addCommand(AdminCommand command, Map<String, Object> properties) {
        String name = contributedName(properties);
        if (name == null) {
            LOG.error("Ignoring an admin command without a valid {} (a lower-case word): {}",
                    AdminCommand.NAME_PROPERTY, command.getClass().getName());
            return;
        }
        Object summary = properties.get(AdminCommand.SUMMARY_PROPERTY);
        contributed.put(name, new Contributed(command, summary == null ? "" : summary.toString()));
    }

    void removeCommand(AdminCommand command, Map<String, Object> properties) {
        String name = contributedName(properties);
        if (name != null) {
            contributed.computeIfPresent(name, (k, v) -> v.command() == command ? null : v);
        }
    }

    /** The command name of an {@link AdminCommand} service, or null when missing or not a lower-case word. */
    public static String contributedName(Map<String, ?> properties) {
        Object n = properties.get(AdminCommand.NAME_PROPERTY);
        return n instanceof String && ((String) n).matches("[a-z][a-z0-9_]*") ? (String) n : null;
    }

    /** For tests and embedding: registers a contributed command. */
    public void addCommand(String name, AdminCommand command, String summary) {
        contributed.put(name, new Contributed(command, summary));
    }

    /** The contributed commands by name, sorted. */
    public Map<String, Contributed> contributedCommands() {
        return Map.copyOf(contributed);
    }

    /** Runs a contributed command: {@code junction:<name> args} and {@code show|alter proxy<name> args}. */
    public AdminResult contributed(String name, List<String> args) {
        Contributed c = contributed.get(name);
        if (c == null) {
            return AdminResult.error(1235, "42000", "No admin command '" + name + "' (is its bundle enabled?)");
        }
        try {
            AdminTable t = c.command().execute(List.copyOf(args));
            if (t == null) {
                return AdminResult.ok(null);
            }
            return t.isTable() ? AdminResult.table(t.columns(), t.rows()) : AdminResult.ok(t.message());
        } catch (AdminCommandException e) {
            return AdminResult.error(1210, "HY000", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Admin command {} failed", name, e);
            return AdminResult.error(1105, "HY000", "Admin command " + name + " failed: " + e);
        }
    }

    /** Splits admin arguments at white space; quoted words ('..' or "..") keep spaces and lose the quotes. */
    public static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            StringBuilder w = new StringBuilder();
            if (c == '\'' || c == '"') {
                i++;
                while (i < n) {
                    char d = text.charAt(i++);
                    if (d == c) {
                        if (i < n && text.charAt(i) == c) {
                            w.append(c);
                            i++;
                            continue;
                        }
                        break;
                    }
                    w.append(d);
                }
            } else {
                while (i < n && !Character.isWhitespace(text.charAt(i))) {
                    w.append(text.charAt(i++));
                }
            }
            out.add(w.toString());
        }
        return out;
    }

    // ---- AdminLogin

    @Override
    public byte[] passwordHash() {
        return config.passwordHash();
    }

    @Override
    public boolean allowRemote() {
        return config.allowRemote();
    }

    @Override
    public ChannelHandler sqlHandler(ClientSession session, SessionRegistry registry) {
        return new AdminSqlHandler(this, session, registry);
    }

    // ---- commands

    /** {@code show proxyconfig [like 'x']} / {@code junction:config [key]}: name, value, file. */
    public AdminResult config(String like) {
        Pattern p = like == null ? null : likePattern(like);
        List<List<String>> rows = new ArrayList<>();
        for (Owner o : OWNERS) {
            Map<String, Object> stored;
            try {
                stored = store == null ? Map.of() : store.read(o.pid());
            } catch (IOException e) {
                return AdminResult.error(1105, "HY000", "cannot read " + o.pid() + ": " + e.getMessage());
            }
            for (String key : o.keys()) {
                if (p != null && !p.matcher(key).matches()) {
                    continue;
                }
                Object v = stored.get(key);
                String value = v == null ? null : v.toString();
                if (key.equals("password")) {
                    value = value == null || value.isBlank() ? "(not set: admin SQL disabled)" : "(set)";
                }
                rows.add(Arrays.asList(key, value == null ? "(default)" : value, "etc/" + o.pid() + ".cfg"));
            }
        }
        return AdminResult.table(List.of("name", "value", "file"), rows);
    }

    /** {@code alter proxyconfig set k = v} / {@code junction:config k v}: validated whole, then saved. */
    public AdminResult setConfig(String key, String value) {
        Owner owner = null;
        for (Owner o : OWNERS) {
            if (o.keys().contains(key)) {
                owner = o;
            }
        }
        if (owner == null) {
            return AdminResult.error(1193, "HY000", "Unknown config key '" + key + "'; see show proxyconfig");
        }
        if (store == null) {
            return AdminResult.error(1105, "HY000", "configuration is not available (no ConfigurationAdmin)");
        }
        try {
            Map<String, Object> next = new HashMap<>(store.read(owner.pid()));
            next.put(key, value);
            owner.validator().validate(next);
            store.write(owner.pid(), next);
        } catch (ConfigException e) {
            return AdminResult.error(1210, "HY000", "Refused: " + e.getMessage());
        } catch (IOException e) {
            return AdminResult.error(1105, "HY000", "Cannot save " + owner.pid() + ": " + e.getMessage());
        }
        LOG.info("Admin set {} in etc/{}.cfg", key, owner.pid());
        return AdminResult.ok(key + " set in etc/" + owner.pid() + ".cfg");
    }

    /** {@code show proxysession} / {@code junction:sessions}. */
    public AdminResult sessions() {
        List<List<String>> rows = new ArrayList<>();
        SessionRegistry reg = sessions;
        long now = System.currentTimeMillis();
        if (reg != null) {
            for (ClientSession s : reg.all()) {
                InetSocketAddress a = s.clientAddress();
                ServerConnection running = s.running();
                List<String> servers = new ArrayList<>();
                for (ServerConnection sc : s.connections()) {
                    servers.add(sc.address().toString());
                }
                rows.add(Arrays.asList(Long.toString(s.id()), s.user(), s.tenant(), s.cluster(),
                        a == null ? "" : a.getAddress().getHostAddress() + ":" + a.getPort(),
                        s.database().orElse(null), s.command(),
                        Long.toString(Math.max(0, (now - s.stateSinceMillis()) / 1000)),
                        running == null ? "" : running.address().toString(), String.join(",", servers), s.info()));
            }
        }
        return AdminResult.table(List.of("Id", "User", "Tenant", "Cluster", "Host", "db", "Command", "Time",
                "Running_on", "Servers", "Info"), rows);
    }

    /** {@code kill proxysession <id>} / {@code junction:kill <id>}: closes the client connection. */
    public AdminResult kill(long id) {
        SessionRegistry reg = sessions;
        ClientSession s = reg == null ? null : reg.get(id);
        if (s == null) {
            return AdminResult.error(1094, "HY000", "Unknown session id: " + id);
        }
        s.channel().close();
        LOG.info("Admin killed session {} ({}@{}#{})", id, s.user(), s.tenant(), s.cluster());
        return AdminResult.ok("session " + id + " killed");
    }

    /** {@code show proxyroute} / {@code junction:routes}: the route cache. */
    public AdminResult routes() {
        List<List<String>> rows = new ArrayList<>();
        for (RouteCacheView.Entry e : routes.entries()) {
            rows.add(Arrays.asList(e.cluster(), e.tenant(), e.table(), e.partition(), e.replicas(), e.state()));
        }
        return AdminResult.table(List.of("cluster", "tenant", "table", "partition", "replicas", "state"), rows);
    }

    /**
     * {@code alter proxyroute refresh [db.table]} / {@code junction:refresh [cluster] [db.table]}: refetch now,
     * ignoring the refetch delay. Without a table: each cluster's topology and every cached table; with one: that
     * table in every tenant that has it cached (else in the default tenant). The SQL face starts the refresh and
     * answers at once (it runs on an event loop); the gogo face waits up to 10 s for the outcome.
     *
     * @param cluster the cluster, or null for every cluster
     * @param dbTable {@code db.table}, or null
     */
    public AdminResult refreshRoutes(String cluster, String dbTable, boolean wait) {
        String db = null;
        String table = null;
        if (dbTable != null && !dbTable.isBlank()) {
            String t = dbTable.trim().replace("`", "");
            int dot = t.indexOf('.');
            if (dot <= 0 || dot == t.length() - 1) {
                return AdminResult.error(1105, "HY000", "name the table as db.table: " + dbTable);
            }
            db = t.substring(0, dot);
            table = t.substring(dot + 1);
        }
        Map<String, Object> proxy = Map.of();
        try {
            proxy = store == null ? Map.of() : store.read(ProxyConfig.PID);
        } catch (IOException e) {
            // no default tenant
        }
        java.util.concurrent.CompletableFuture<String> f;
        try {
            f = routes.refresh(cluster, db, table, str(proxy.get("default_tenant")));
        } catch (RuntimeException e) {
            return AdminResult.error(1105, "HY000", "refresh failed: " + e.getMessage());
        }
        LOG.info("Admin refresh of route cache: cluster {}, table {}", cluster == null ? "(all)" : cluster,
                dbTable == null ? "(all)" : dbTable);
        if (!wait) {
            if (f.isCompletedExceptionally()) {
                return AdminResult.error(1105, "HY000", "refresh failed: " + cause(f));
            }
            return AdminResult.ok(f.isDone() ? f.join() : "refresh started");
        }
        try {
            return AdminResult.ok(f.get(10, java.util.concurrent.TimeUnit.SECONDS));
        } catch (java.util.concurrent.TimeoutException e) {
            return AdminResult.ok("refresh still running after 10 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return AdminResult.error(1105, "HY000", "interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            return AdminResult.error(1105, "HY000", "refresh failed: " + e.getCause().getMessage());
        }
    }

    private static String cause(java.util.concurrent.CompletableFuture<?> f) {
        try {
            f.join();
            return "?";
        } catch (java.util.concurrent.CompletionException e) {
            return e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
        }
    }

    /** {@code show proxycongestion} / {@code junction:congestion}: every disaster check's verdict on every server. */
    public AdminResult congestion() {
        List<List<String>> rows = new ArrayList<>();
        StaticCandidates servers = new StaticCandidates();
        for (RankedServices.Entry<DisasterCheck> e : routing.services().checks().snapshot()) {
            for (ClusterConfig c : clusters.all()) {
                Map<String, Replica> byServer = new LinkedHashMap<>();
                for (TenantConfig t : c.tenants().values()) {
                    for (Replica r : servers.of(t)) {
                        byServer.putIfAbsent(r.server().toString(), r);
                    }
                }
                for (Replica r : byServer.values()) {
                    String verdict;
                    try {
                        Verdict v = e.service().check(r);
                        verdict = v == null ? "allow" : v.toString();
                    } catch (RuntimeException ex) {
                        verdict = "check failed: " + ex;
                    }
                    rows.add(Arrays.asList(e.name(), Integer.toString(e.ranking()), c.name(), r.zone().name(),
                            r.server().toString(), verdict));
                }
            }
        }
        return AdminResult.table(List.of("check", "ranking", "cluster", "zone", "server", "verdict"), rows);
    }

    /** {@code show proxycluster} / {@code junction:clusters}. */
    public AdminResult clusters() {
        List<List<String>> rows = new ArrayList<>();
        for (ClusterConfig c : clusters.all()) {
            for (ZoneConfig z : c.zones().values()) {
                List<String> tenants = new ArrayList<>();
                for (TenantConfig t : c.tenants().values()) {
                    if (t.zones().contains(z)) {
                        tenants.add(t.name());
                    }
                }
                List<String> servers = new ArrayList<>();
                z.servers().forEach(s -> servers.add(s.toString()));
                rows.add(Arrays.asList(c.name(), Long.toString(c.id()), z.name(), z.zone().region(), z.zone().idc(),
                        String.join(",", servers), String.join(",", tenants)));
            }
        }
        return AdminResult.table(List.of("cluster", "id", "zone", "region", "idc", "servers", "tenants"), rows);
    }

    /** {@code junction:policies}-like view used by explain: the registered routing policies. */
    public List<String> policies() {
        List<String> out = new ArrayList<>();
        for (RankedServices.Entry<RoutingPolicy> e : routing.services().policies().snapshot()) {
            out.add(e.name() + " (ranking " + e.ranking() + ")");
        }
        return out;
    }

    /**
     * {@code explain route <sql>} / {@code junction:route <sql> [user@tenant#cluster]}: the analysis, the
     * candidates, which policy decided and why, what checks vetoed or demoted; nothing is sent anywhere.
     */
    public AdminResult explainRoute(String sql, String login) {
        LoginName name = LoginName.parse(login == null || login.isBlank() ? "root" : login.trim());
        Map<String, Object> proxy = Map.of();
        try {
            proxy = store == null ? Map.of() : store.read(ProxyConfig.PID);
        } catch (IOException e) {
            // defaults below
        }
        String clusterName = name.cluster() != null ? name.cluster() : str(proxy.get("default_cluster"));
        ClusterConfig cluster = clusterName == null ? null : clusters.find(clusterName);
        if (cluster == null && name.cluster() == null && !clusters.all().isEmpty()) {
            cluster = clusters.all().get(0);
        }
        if (cluster == null) {
            return AdminResult.error(1105, "HY000", "unknown cluster '" + clusterName + "'");
        }
        String tenantName = name.tenant() != null ? name.tenant() : str(proxy.get("default_tenant"));
        TenantConfig tenant = tenantName == null ? null : clusters.tenant(cluster, tenantName);
        if (tenant == null && name.tenant() == null && !cluster.tenants().isEmpty()) {
            tenant = cluster.tenants().values().iterator().next();
        }
        if (tenant == null) {
            return AdminResult.error(1105, "HY000", "unknown tenant '" + tenantName + "' in cluster " + cluster.name());
        }
        ExplainSession session = new ExplainSession(name.user(), tenant.name(), cluster.name());
        StatementInfo info = routing.analyze(sql);
        List<List<String>> rows = new ArrayList<>();
        rows.add(Arrays.asList("session", name.user() + "@" + tenant.name() + "#" + cluster.name()));
        // filters are listed, not run: they may count or throttle, and explaining must not change their state
        for (RankedServices.Entry<dev.junction.api.filter.StatementFilter> e
                : routing.services().statementFilters().snapshot()) {
            rows.add(Arrays.asList("statement filter", e.name() + " (ranking " + e.ranking() + ") runs before routing"));
        }
        Route route = routing.plan(session, tenant, info, true);
        for (String line : route.explanation()) {
            int colon = line.indexOf(": ");
            String step = line.startsWith("policy ") ? "policy" : line.startsWith("check ") ? "disaster check"
                    : colon > 0 && colon < 40 ? line.substring(0, colon) : "route";
            rows.add(Arrays.asList(step, line));
        }
        rows.add(Arrays.asList("decided by", route.decidedBy()));
        rows.add(Arrays.asList("first server", route.order().isEmpty() ? null : route.order().get(0).toString()));
        return AdminResult.table(List.of("step", "detail"), rows);
    }

    /** {@code ping proxy} / {@code junction:ping}. */
    public AdminResult ping() {
        return AdminResult.ok("pong");
    }

    /** {@code select proxy_version()} / {@code junction:version}. */
    public AdminResult version() {
        return AdminResult.table(List.of("proxy_version()"), List.of(List.of(version)));
    }

    public String versionString() {
        return version;
    }

    // ---- the SQL face

    private static final int F = Pattern.CASE_INSENSITIVE | Pattern.DOTALL;
    private static final Pattern SHOW_CONFIG = Pattern.compile("show\\s+proxyconfig(?:\\s+like\\s+'((?:[^']|'')*)')?", F);
    private static final Pattern ALTER_CONFIG = Pattern.compile(
            "alter\\s+proxyconfig\\s+set\\s+([A-Za-z0-9_.]+)\\s*=\\s*(.*)", F);
    private static final Pattern SHOW_SESSIONS = Pattern.compile("show\\s+(?:proxysession|(?:full\\s+)?processlist)", F);
    private static final Pattern KILL = Pattern.compile("kill\\s+(?:proxysession|connection)?\\s*(\\d+)", F);
    private static final Pattern SHOW_ROUTE = Pattern.compile("show\\s+proxyroute", F);
    private static final Pattern REFRESH_ROUTE = Pattern.compile("alter\\s+proxyroute\\s+refresh(?:\\s+(\\S+))?", F);
    private static final Pattern SHOW_CONGESTION = Pattern.compile("show\\s+proxycongestion", F);
    private static final Pattern SHOW_CLUSTER = Pattern.compile("show\\s+proxycluster", F);
    private static final Pattern EXPLAIN = Pattern.compile("explain\\s+route\\s+(.+)", F);
    private static final Pattern PING = Pattern.compile("ping\\s+proxy", F);
    private static final Pattern VERSION = Pattern.compile("select\\s+proxy_version\\s*\\(\\s*\\)", F);
    private static final Pattern SET = Pattern.compile("set\\s+.*", F);
    private static final Pattern CONTRIBUTED = Pattern.compile("(show|alter)\\s+proxy([A-Za-z][A-Za-z0-9_]*)(\\s+.*)?", F);
    private static final Pattern SELECT_VARS = Pattern.compile("select\\s+(@@.*)", F);
    private static final Pattern SHOW_VARIABLES = Pattern.compile("show\\s+(?:session\\s+|global\\s+)?variables.*", F);
    private static final Pattern SELECT_SIMPLE = Pattern.compile("select\\s+(1|database\\s*\\(\\s*\\)|version\\s*\\(\\s*\\))", F);

    /** Runs one admin SQL statement. */
    public AdminResult execute(String sqlText) {
        String sql = sqlText.trim();
        while (sql.endsWith(";")) {
            sql = sql.substring(0, sql.length() - 1).trim();
        }
        Matcher m;
        if ((m = SHOW_CONFIG.matcher(sql)).matches()) {
            return config(m.group(1) == null ? null : m.group(1).replace("''", "'"));
        }
        if ((m = ALTER_CONFIG.matcher(sql)).matches()) {
            return setConfig(m.group(1).toLowerCase(Locale.ROOT), unquote(m.group(2).trim()));
        }
        if (SHOW_SESSIONS.matcher(sql).matches()) {
            return sessions();
        }
        if ((m = KILL.matcher(sql)).matches()) {
            return kill(Long.parseLong(m.group(1)));
        }
        if (SHOW_ROUTE.matcher(sql).matches()) {
            return routes();
        }
        if ((m = REFRESH_ROUTE.matcher(sql)).matches()) {
            return refreshRoutes(null, m.group(1), false);
        }
        if (SHOW_CONGESTION.matcher(sql).matches()) {
            return congestion();
        }
        if (SHOW_CLUSTER.matcher(sql).matches()) {
            return clusters();
        }
        if ((m = EXPLAIN.matcher(sql)).matches()) {
            return explainRoute(m.group(1), null);
        }
        if (PING.matcher(sql).matches()) {
            return ping();
        }
        if (VERSION.matcher(sql).matches()) {
            return version();
        }
        // what client libraries send on connect
        if (SET.matcher(sql).matches()) {
            return AdminResult.ok(null);
        }
        if ((m = SELECT_VARS.matcher(sql)).matches()) {
            return variables(m.group(1));
        }
        if (SHOW_VARIABLES.matcher(sql).matches()) {
            return AdminResult.table(List.of("Variable_name", "Value"), List.of());
        }
        if ((m = SELECT_SIMPLE.matcher(sql)).matches()) {
            String what = m.group(1).toLowerCase(Locale.ROOT);
            String value = what.equals("1") ? "1" : what.startsWith("version") ? version : null;
            return AdminResult.table(List.of(m.group(1)), List.of(Arrays.asList(value)));
        }
        if ((m = CONTRIBUTED.matcher(sql)).matches() && contributed.containsKey(m.group(2).toLowerCase(Locale.ROOT))) {
            return contributed(m.group(2).toLowerCase(Locale.ROOT), m.group(3) == null ? List.of() : words(m.group(3)));
        }
        StringBuilder more = new StringBuilder();
        for (String name : contributed.keySet()) {
            more.append(", show|alter proxy").append(name);
        }
        return AdminResult.error(1235, "42000", "root@proxysys runs admin commands only: show proxyconfig [like 'x'], "
                + "alter proxyconfig set k=v, show proxysession, kill proxysession <id>, show proxyroute, "
                + "alter proxyroute refresh [db.table], show proxycongestion, show proxycluster, explain route <sql>, ping proxy, select proxy_version()"
                + more);
    }

    private static final Map<String, String> VARIABLES = Map.of("max_allowed_packet", "67108864",
            "wait_timeout", "28800", "auto_increment_increment", "1", "autocommit", "1",
            "tx_isolation", "REPEATABLE-READ", "transaction_isolation", "REPEATABLE-READ",
            "character_set_client", "utf8mb4", "system_time_zone", "UTC", "time_zone", "SYSTEM",
            "sql_mode", "");

    /** {@code SELECT @@a, @@session.b AS x}: what connectors ask on connect. */
    private static AdminResult variables(String list) {
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (String part : list.split(",")) {
            String expr = part.trim();
            String label = expr;
            Matcher as = Pattern.compile("(.*?)\\s+(?:as\\s+)?([A-Za-z0-9_@.]+)", F).matcher(expr);
            if (as.matches()) {
                expr = as.group(1).trim();
                label = as.group(2);
            }
            String var = expr.replaceFirst("(?i)^@@(session\\.|global\\.|local\\.)?", "").toLowerCase(Locale.ROOT);
            names.add(label);
            values.add(VARIABLES.get(var));
        }
        return AdminResult.table(names, List.of(values));
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.startsWith("'") && v.endsWith("'") || v.startsWith("\"") && v.endsWith("\""))) {
            return v.substring(1, v.length() - 1).replace("''", "'");
        }
        return v;
    }

    private static String str(Object o) {
        return o == null || o.toString().isBlank() ? null : o.toString().trim();
    }

    static Pattern likePattern(String like) {
        StringBuilder re = new StringBuilder();
        for (char c : like.toCharArray()) {
            if (c == '%') {
                re.append(".*");
            } else if (c == '_') {
                re.append('.');
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE);
    }

    /** The session {@code explain route} and {@code junction:route} route for. */
    private record ExplainSession(String user, String tenant, String cluster) implements SessionInfo {

        @Override
        public long id() {
            return 0;
        }

        @Override
        public InetSocketAddress clientAddress() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        }

        @Override
        public Optional<String> database() {
            return Optional.empty();
        }

        @Override
        public boolean inTransaction() {
            return false;
        }

        @Override
        public Optional<String> systemVariable(String name) {
            return Optional.empty();
        }

        @Override
        public Optional<String> userVariable(String name) {
            return Optional.empty();
        }
    }

    /** Keys an operator writes, not those ConfigAdmin and File Install add. */
    private static boolean isOwnKey(String key) {
        return !key.startsWith("service.") && !key.startsWith("felix.fileinstall.") && !key.startsWith("component.");
    }

    /**
     * ConfigAdmin as the store. A change is written to {@code etc/<pid>.cfg} (atomically, comments kept), so it
     * survives restarts, and applied to ConfigAdmin at once; File Install then reads the same values back.
     */
    private final class ConfigAdminStore implements ConfigStore {

        private final Path etc;

        ConfigAdminStore(Path etc) {
            this.etc = etc;
        }

        @Override
        public Map<String, Object> read(String pid) throws IOException {
            ConfigurationAdmin ca = configAdmin;
            if (ca == null) {
                throw new IOException("ConfigurationAdmin is not available");
            }
            Configuration c = ca.getConfiguration(pid, "?");
            Dictionary<String, Object> d = c.getProperties();
            Map<String, Object> out = new TreeMap<>();
            if (d != null) {
                for (Enumeration<String> keys = d.keys(); keys.hasMoreElements();) {
                    String k = keys.nextElement();
                    out.put(k, d.get(k));
                }
            }
            return out;
        }

        @Override
        public void write(String pid, Map<String, Object> properties) throws IOException {
            ConfigurationAdmin ca = configAdmin;
            if (ca == null) {
                throw new IOException("ConfigurationAdmin is not available");
            }
            Configuration c = ca.getConfiguration(pid, "?");
            Map<String, String> keys = new TreeMap<>();
            Dictionary<String, Object> old = c.getProperties();
            if (old != null) {
                for (Enumeration<String> e = old.keys(); e.hasMoreElements();) {
                    String k = e.nextElement();
                    if (!properties.containsKey(k) && isOwnKey(k)) {
                        keys.put(k, null);
                    }
                }
            }
            properties.forEach((k, v) -> {
                if (isOwnKey(k)) {
                    keys.put(k, String.valueOf(v));
                }
            });
            CfgFile.setKeys(etc.resolve(pid + ".cfg"), keys);
            c.update(new Hashtable<>(properties));
        }
    }
}
