package dev.junction.core.proxy;

import dev.junction.core.admin.AdminService;
import dev.junction.core.auth.AccountStore;
import dev.junction.core.cluster.ClusterRegistry;
import dev.junction.core.config.ConfigException;
import dev.junction.core.routing.RoutingPipeline;
import dev.junction.core.runtime.Endpoints;
import dev.junction.core.runtime.JunctionRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.net.InetSocketAddress;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the MySQL listener from {@code etc/dev.junction.proxy.cfg}, serving the clusters and accounts of
 * the registries (their changes apply to the next login). A changed file is validated whole;
 * a bad one is logged and the running listener keeps serving with its old settings.
 */
@Component(immediate = true, configurationPid = ProxyConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
public class ProxyServerComponent {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyServerComponent.class);

    private final BundleContext context;
    private final JunctionRuntime runtime;
    private final ClusterRegistry clusters;
    private final AccountStore accounts;
    private final RoutingPipeline routing;
    private final AdminService admin;
    private ProxyConfig config;
    private ProxyServer server;
    private ServiceRegistration<Object> endpoint;

    @Activate
    public ProxyServerComponent(BundleContext context, Map<String, Object> properties, @Reference JunctionRuntime runtime,
            @Reference ClusterRegistry clusters, @Reference AccountStore accounts, @Reference RoutingPipeline routing,
            @Reference AdminService admin) throws Exception {
        this.context = context;
        this.routing = routing;
        this.admin = admin;
        this.runtime = runtime;
        this.clusters = clusters;
        this.accounts = accounts;
        try {
            config = ProxyConfig.parse(properties);
        } catch (ConfigException e) {
            LOG.error("Refusing configuration: {}; using built-in defaults", e.getMessage());
            config = ProxyConfig.parse(Map.of());
        }
        startListener();
    }

    @Modified
    void modified(Map<String, Object> properties) throws Exception {
        ProxyConfig next;
        try {
            next = ProxyConfig.parse(properties);
        } catch (ConfigException e) {
            LOG.error("Refusing new configuration, the old one keeps serving: {}", e.getMessage());
            return;
        }
        if (next.equals(config)) {
            return;
        }
        LOG.info("Applying new listener configuration {}", next);
        ProxyConfig old = config;
        stopListener();
        config = next;
        try {
            startListener();
        } catch (Exception e) {
            LOG.error("Cannot listen on {}:{} ({}); going back to {}:{}", next.listenHost(), next.listenPort(), e.getMessage(),
                    old.listenHost(), old.listenPort());
            config = old;
            startListener();
        }
    }

    @Deactivate
    void deactivate() {
        stopListener();
    }

    private void startListener() throws Exception {
        ProxyServer s = new ProxyServer(config, clusters, accounts, routing, admin);
        InetSocketAddress bound = s.start();
        server = s;
        admin.attach(s.sessions());
        String hostPort = config.listenHost() + ":" + bound.getPort();
        endpoint = Endpoints.publish(context, "mysql", hostPort);
        LOG.info("Junction listening for MySQL clients on {}", hostPort);
        writePortFile(bound.getPort());
    }

    /** The watchdog in bin/junction checks the port actually bound, whatever the cfg file says now. */
    private void writePortFile(int port) {
        Path file = runtime.data().resolve("mysql.port");
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("mysql.port.tmp");
            Files.writeString(tmp, port + "\n");
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("Cannot write {}: {}", file, e.toString());
        }
    }

    private void stopListener() {
        if (endpoint != null) {
            endpoint.unregister();
            endpoint = null;
        }
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
