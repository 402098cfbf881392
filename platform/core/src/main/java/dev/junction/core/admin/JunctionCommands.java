package dev.junction.core.admin;

import dev.junction.core.bundles.BundleCatalog;
import dev.junction.core.bundles.BundleStates;
import dev.junction.core.runtime.JunctionRuntime;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The {@code junction:} gogo commands. Each returns the text to print. */
@Component(service = JunctionCommands.class, property = {
        "osgi.command.scope=junction",
        "osgi.command.function=status",
        "osgi.command.function=help",
        "osgi.command.function=bundles",
        "osgi.command.function=enable",
        "osgi.command.function=disable",
        "osgi.command.function=config",
        "osgi.command.function=sessions",
        "osgi.command.function=kill",
        "osgi.command.function=routes",
        "osgi.command.function=refresh",
        "osgi.command.function=congestion",
        "osgi.command.function=clusters",
        "osgi.command.function=route",
        "osgi.command.function=ping",
        "osgi.command.function=version"
})
public class JunctionCommands {

    private final BundleContext context;
    private final JunctionRuntime runtime;
    private final BundleCatalog catalog;
    private final AdminService admin;

    @Activate
    public JunctionCommands(BundleContext context, @Reference JunctionRuntime runtime, @Reference BundleCatalog catalog,
            @Reference AdminService admin) {
        this.context = context;
        this.runtime = runtime;
        this.catalog = catalog;
        this.admin = admin;
    }

    @Descriptor("version, uptime, listen ports, Junction bundles and the SPI services they provide")
    public String status() {
        return StatusReport.render(context, runtime);
    }

    @Descriptor("list Junction's commands")
    public String help() {
        StringBuilder contributed = new StringBuilder();
        for (Map.Entry<String, AdminService.Contributed> e : new java.util.TreeMap<>(admin.contributedCommands()).entrySet()) {
            contributed.append("  junction:").append(e.getKey()).append(' ').append(e.getValue().summary())
                    .append("\n      (SQL: show|alter proxy").append(e.getKey()).append(" ...)\n");
        }
        return String.join("\n",
                "Junction commands (scope junction:)",
                "  junction:status            version, uptime, listen ports, bundles and their SPI services",
                "  junction:bundles           shipped bundles and whether each is enabled",
                "  junction:enable <name>     enable a shipped bundle (copies bundles/<name>.jar to deploy/)",
                "  junction:disable <name>    disable a shipped bundle (removes it from deploy/)",
                "  junction:config [key [value]]  show settings (or one); with a value: validate, apply and save to etc/",
                "  junction:sessions          client sessions (id, user, tenant, host, servers, statement)",
                "  junction:kill <id>         close a client session",
                "  junction:routes            the route cache",
                "  junction:refresh [cluster] [db.table]  refetch metadata now (topology and cached tables, or one table)",
                "  junction:congestion        disaster checks and their verdict on every server",
                "  junction:clusters          clusters, zones, servers and tenants",
                "  junction:route <sql> [user@tenant#cluster]",
                "                             explain routing: analysis, candidates, deciding policy, vetoes",
                "  junction:ping              is the proxy alive",
                "  junction:version           Junction's version",
                "  junction:help              this list",
                contributed.length() == 0 ? "Commands from enabled bundles: none" : "Commands from enabled bundles:\n" + contributed,
                "The same commands as SQL, logged in as root@proxysys (password hash in etc/dev.junction.admin.cfg):",
                "  show proxyconfig [like 'x'], alter proxyconfig set k=v, show proxysession, kill proxysession <id>,",
                "  show proxyroute, alter proxyroute refresh [db.table], show proxycongestion, show proxycluster, explain route <sql>, ping proxy,",
                "  select proxy_version()",
                "Framework commands: lb, start, stop, update, uninstall, inspect (gogo), 'help' for all.",
                "");
    }

    @Descriptor("shipped bundles and whether each is enabled")
    public String bundles() throws Exception {
        StringBuilder out = new StringBuilder();
        for (BundleCatalog.Entry e : catalog.entries()) {
            out.append(String.format("%-24s %-9s %s%n", e.name(), e.enabled() ? "enabled" : "disabled",
                    e.bundle().map(b -> b.getSymbolicName() + " " + b.getVersion() + " " + BundleStates.name(b.getState()))
                            .orElse("-")));
        }
        return out.length() == 0 ? "no shipped bundles in " + runtime.home().resolve("bundles") : out.toString();
    }

    @Descriptor("enable a shipped bundle; the choice survives restarts")
    public String enable(@Descriptor("bundle name, e.g. routing-ldc") String name) throws Exception {
        return catalog.enable(name);
    }

    @Descriptor("disable a shipped bundle; the choice survives restarts")
    public String disable(@Descriptor("bundle name, e.g. routing-ldc") String name) throws Exception {
        return catalog.disable(name);
    }

    @Descriptor("every setting Junction's components read from etc/")
    public String config() {
        return admin.config(null).text();
    }

    @Descriptor("one setting (SQL LIKE patterns allowed, e.g. %timeout%)")
    public String config(@Descriptor("key") String key) {
        return admin.config(key).text();
    }

    @Descriptor("change a setting: validated with the rest of its file, applied live and saved to etc/")
    public String config(@Descriptor("key") String key, @Descriptor("value") String value) {
        return admin.setConfig(key, value).text();
    }

    @Descriptor("client sessions")
    public String sessions() {
        return admin.sessions().text();
    }

    @Descriptor("close a client session")
    public String kill(@Descriptor("session id (junction:sessions)") long id) {
        return admin.kill(id).text();
    }

    @Descriptor("the route cache")
    public String routes() {
        return admin.routes().text();
    }

    @Descriptor("refetch every cluster's metadata now: topology and every cached table")
    public String refresh() {
        return admin.refreshRoutes(null, null, true).text();
    }

    @Descriptor("refetch now: a cluster's metadata, or (db.table) one table in every cluster")
    public String refresh(@Descriptor("cluster, or db.table") String what) {
        return what.contains(".") ? admin.refreshRoutes(null, what, true).text()
                : admin.refreshRoutes(what, null, true).text();
    }

    @Descriptor("refetch one table of a cluster now")
    public String refresh(@Descriptor("cluster") String cluster, @Descriptor("db.table") String table) {
        return admin.refreshRoutes(cluster, table, true).text();
    }

    @Descriptor("disaster checks and their verdict on every server")
    public String congestion() {
        return admin.congestion().text();
    }

    @Descriptor("clusters, zones, servers and tenants")
    public String clusters() {
        return admin.clusters().text();
    }

    @Descriptor("explain how a statement would be routed (for the default tenant)")
    public String route(@Descriptor("the statement") String sql) {
        return admin.explainRoute(sql, null).text();
    }

    @Descriptor("explain how a statement would be routed for a login")
    public String route(@Descriptor("the statement") String sql, @Descriptor("user@tenant#cluster") String login) {
        return admin.explainRoute(sql, login).text();
    }

    @Descriptor("is the proxy alive")
    public String ping() {
        return admin.ping().text();
    }

    @Descriptor("Junction's version")
    public String version() {
        return admin.versionString();
    }
}
