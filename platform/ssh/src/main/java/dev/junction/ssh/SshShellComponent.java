package dev.junction.ssh;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.Map;
import org.apache.felix.service.command.CommandProcessor;
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
 * Runs the SSH admin shell while {@code etc/dev.junction.ssh.cfg} exists and a gogo
 * {@link CommandProcessor} is available. An invalid configuration is logged and ignored: a running
 * server keeps its previous settings.
 */
@Component(immediate = true, configurationPid = "dev.junction.ssh", configurationPolicy = ConfigurationPolicy.REQUIRE)
public class SshShellComponent {

    private static final Logger LOG = LoggerFactory.getLogger(SshShellComponent.class);

    /** The service property that {@code junction:status} lists. */
    static final String ENDPOINT_PROPERTY = "junction.endpoint";

    private final BundleContext context;
    private final CommandProcessor processor;
    private final Path home;
    private SshShellServer server;
    private ServiceRegistration<Object> endpoint;

    @Activate
    public SshShellComponent(BundleContext context, @Reference CommandProcessor processor, Map<String, Object> props) {
        this.context = context;
        this.processor = processor;
        String homeProp = context.getProperty("junction.home");
        this.home = Path.of(homeProp == null ? "." : homeProp).toAbsolutePath().normalize();
        apply(props);
    }

    @Modified
    synchronized void modified(Map<String, Object> props) {
        apply(props);
    }

    private synchronized void apply(Map<String, Object> props) {
        SshConfig next;
        try {
            next = SshConfig.parse(props, home);
        } catch (SshConfig.Invalid e) {
            String consequence = server == null ? "the SSH shell is not started"
                    : "the SSH shell keeps its previous settings";
            for (String problem : e.problems()) {
                LOG.error("{}; {}", problem, consequence);
            }
            return;
        }
        if (server != null && !server.config().needsRestart(next)) {
            server.updateAuth(next);
            LOG.info("SSH shell settings updated: {}", next);
            return;
        }
        SshShellServer fresh = new SshShellServer(processor);
        SshShellServer old = server;
        boolean sameAddress = old != null && old.config().host().equals(next.host())
                && old.config().port() == next.port();
        if (sameAddress) {
            stop(); // the new listener needs the port
        }
        try {
            fresh.start(next);
        } catch (IOException | RuntimeException e) {
            LOG.error("SSH shell cannot listen on {}:{} (from {}): {}", next.host(), next.port(), SshConfig.FILE,
                    GogoCommand.describe(e));
            if (sameAddress) {
                restart(old.config());
            }
            return;
        }
        if (!sameAddress) {
            stop();
        }
        server = fresh;
        publish();
        LOG.info("SSH shell listening on {} ({})", fresh.endpoint(), next);
    }

    private void restart(SshConfig previous) {
        SshShellServer again = new SshShellServer(processor);
        try {
            again.start(previous);
            server = again;
            publish();
            LOG.info("SSH shell listening again on {} with its previous settings", again.endpoint());
        } catch (IOException | RuntimeException e) {
            LOG.error("SSH shell cannot listen again on {}:{}: {}", previous.host(), previous.port(),
                    GogoCommand.describe(e));
        }
    }

    private void publish() {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(ENDPOINT_PROPERTY, "ssh " + server.endpoint());
        if (endpoint == null) {
            endpoint = context.registerService(Object.class, new Object(), props);
        } else {
            endpoint.setProperties(props);
        }
    }

    private void stop() {
        if (endpoint != null) {
            try {
                endpoint.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping
            }
            endpoint = null;
        }
        if (server != null) {
            server.close();
            server = null;
        }
    }

    @Deactivate
    synchronized void deactivate() {
        boolean wasRunning = server != null;
        stop();
        if (wasRunning) {
            LOG.info("SSH shell stopped");
        }
    }
}
