package dev.junction.ssh;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.io.nio2.Nio2ServiceFactoryFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.UserAuthFactory;
import org.apache.sshd.server.auth.password.UserAuthPasswordFactory;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.session.ServerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SSH server of the admin shell, independent of OSGi: Apache MINA SSHD serving gogo commands.
 * Authentication settings (user, password, authorized keys) change without a restart; host, port
 * and host key need a new listener.
 */
public final class SshShellServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SshShellServer.class);

    private final CommandProcessor processor;
    private SshServer server;
    private volatile SshConfig config;
    private volatile AuthorizedKeys keys;

    public SshShellServer(CommandProcessor processor) {
        this.processor = processor;
    }

    /** Starts listening with {@code cfg}; fails (and listens on nothing) when the port cannot be bound. */
    public synchronized void start(SshConfig cfg) throws IOException {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        SshServer s = SshServer.setUpDefaultServer();
        s.setHost(cfg.host());
        s.setPort(cfg.port());
        s.setKeyPairProvider(hostKeyProvider(cfg.hostKey()));
        s.setPublickeyAuthenticator(this::authenticateKey);
        s.setPasswordAuthenticator(this::authenticatePassword);
        // NIO2 explicitly: in OSGi the service-loader lookup of MINA SSHD sees no I/O providers anyway
        s.setIoServiceFactoryFactory(new Nio2ServiceFactoryFactory());
        s.setShellFactory(channel -> new GogoCommand(processor, null));
        s.setCommandFactory((channel, command) -> new GogoCommand(processor, command));
        // the default server rejects port, agent and X11 forwarding; no subsystems (e.g. SFTP)
        s.setSubsystemFactories(List.of());
        applyAuth(cfg);
        s.setUserAuthFactories(authFactories(cfg));
        try {
            s.start();
        } catch (IOException | RuntimeException e) {
            try {
                s.stop(true);
            } catch (IOException ignored) {
                // the listener never opened
            }
            throw e;
        }
        server = s;
    }

    /** Applies new authentication settings to the running server (new logins see them). */
    public synchronized void updateAuth(SshConfig cfg) {
        applyAuth(cfg);
        if (server != null) {
            server.setUserAuthFactories(authFactories(cfg));
        }
    }

    private void applyAuth(SshConfig cfg) {
        if (keys == null || !keys.file().equals(cfg.authorizedKeys())) {
            keys = new AuthorizedKeys(cfg.authorizedKeys());
        }
        config = cfg;
        if (!cfg.passwordLogin() && !Files.isReadable(cfg.authorizedKeys())) {
            LOG.warn("SSH shell: password login is disabled ({} has no password) and {} is missing: nobody can log in",
                    SshConfig.FILE, cfg.authorizedKeys());
        }
    }

    private static List<UserAuthFactory> authFactories(SshConfig cfg) {
        List<UserAuthFactory> factories = new ArrayList<>();
        factories.add(UserAuthPublicKeyFactory.INSTANCE);
        if (cfg.passwordLogin()) {
            factories.add(UserAuthPasswordFactory.INSTANCE);
        }
        return factories;
    }

    private boolean authenticateKey(String username, PublicKey key, ServerSession session) {
        SshConfig cfg = config;
        boolean ok = cfg.user().equals(username) && keys.contains(key);
        if (!ok) {
            LOG.debug("SSH public key {} for user {} from {} rejected", KeyUtils.getFingerPrint(key), username,
                    session.getClientAddress());
        }
        return ok;
    }

    private boolean authenticatePassword(String username, String password, ServerSession session) {
        SshConfig cfg = config;
        PasswordHash hash = cfg.password();
        // compute the hash even for a wrong user, so timing does not reveal the user name
        boolean ok = hash != null && hash.matches(password) && cfg.user().equals(username);
        if (!ok) {
            LOG.warn("SSH password login for user {} from {} rejected", username, session.getClientAddress());
        }
        return ok;
    }

    private static SimpleGeneratorHostKeyProvider hostKeyProvider(Path file) throws IOException {
        Path dir = file.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            try {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system
            }
        }
        SimpleGeneratorHostKeyProvider provider = new SimpleGeneratorHostKeyProvider(file);
        provider.setAlgorithm(KeyUtils.EC_ALGORITHM);
        provider.setKeySize(256);
        provider.setStrictFilePermissions(true);
        return provider;
    }

    /** The configuration in effect. */
    public SshConfig config() {
        return config;
    }

    /** The port actually listened on. */
    public synchronized int boundPort() {
        if (server == null) {
            return -1;
        }
        for (SocketAddress a : server.getBoundAddresses()) {
            if (a instanceof InetSocketAddress) {
                return ((InetSocketAddress) a).getPort();
            }
        }
        return server.getPort();
    }

    /** {@code host:port} as listened on. */
    public String endpoint() {
        String host = config.host();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + boundPort();
    }

    public synchronized boolean isRunning() {
        return server != null && server.isStarted();
    }

    /** Stops listening and closes all sessions. */
    @Override
    public synchronized void close() {
        if (server != null) {
            try {
                server.stop(true);
            } catch (IOException e) {
                LOG.warn("SSH shell: stopping the server failed", e);
            }
            server = null;
        }
    }
}
