package dev.junction.core.metadata;

import dev.junction.api.health.ServerControl;
import dev.junction.api.topology.Replica;
import dev.junction.api.topology.ReplicaRole;
import dev.junction.api.topology.ReplicaType;
import dev.junction.api.topology.ServerAddress;
import dev.junction.core.admin.AdminService;
import dev.junction.core.session.ClientSession;
import dev.junction.core.session.ServerConnection;
import dev.junction.core.session.SessionRegistry;
import dev.junction.core.protocol.MysqlError;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core's {@link ServerControl}: servers from each cluster's metadata, statements run with the cluster's
 * internal account ({@code metadata.user}) on a small pool of blocking threads (never an event loop), and
 * connection dropping done on each session's own event loop.
 */
@Component(service = ServerControl.class)
public final class ServerControlService implements ServerControl {

    private static final Logger LOG = LoggerFactory.getLogger(ServerControlService.class);
    private static final int MAX_THREADS = 32;

    private final MetadataService metadata;
    private final AdminService admin;
    private final ThreadPoolExecutor pool;

    @Activate
    public ServerControlService(@Reference MetadataService metadata, @Reference AdminService admin) {
        this.metadata = metadata;
        this.admin = admin;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(0, MAX_THREADS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "junction-server-query-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Deactivate
    void deactivate() {
        pool.shutdownNow();
    }

    @Override
    public List<KnownServer> servers() {
        List<KnownServer> out = new ArrayList<>();
        for (ClusterMetadata c : metadata.all()) {
            Topology t = c.topology();
            for (ServerInfo s : t.servers().values()) {
                out.add(new KnownServer(c.cluster(), new Replica(s.address(), t.zoneOf(s.address()), ReplicaRole.NONE,
                        ReplicaType.FULL, s.state())));
            }
        }
        return out;
    }

    @Override
    public CompletionStage<List<Map<String, String>>> query(String cluster, ServerAddress server, String sql,
            Duration timeout) {
        ClusterMetadata c = metadata.find(cluster);
        MetadataConfig config = c == null ? null : c.config();
        if (config == null) {
            return CompletableFuture.failedFuture(new IOException("unknown cluster " + cluster));
        }
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        CompletableFuture<List<Map<String, String>>> result = new CompletableFuture<>();
        try {
            pool.execute(() -> {
                try (MetaClient client = MetaClient.connect(server, config.user(), config.password(), "", millis, millis)) {
                    ResultRows rows = client.query(sql);
                    List<Map<String, String>> out = new ArrayList<>(rows.rows().size());
                    for (String[] row : rows.rows()) {
                        Map<String, String> m = new LinkedHashMap<>();
                        for (int i = 0; i < rows.columns().size(); i++) {
                            m.put(rows.columns().get(i), i < row.length ? row[i] : null);
                        }
                        out.add(m);
                    }
                    result.complete(out);
                } catch (IOException | RuntimeException e) {
                    MysqlError answer = MetaClient.answered(e);
                    // an error answer (access denied, unknown table...) proves the server up: SQLException
                    result.completeExceptionally(answer == null ? e
                            : new SQLException(e.getMessage(), answer.sqlState(), answer.code(), e));
                }
            });
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IOException("too many server queries at once (" + MAX_THREADS + ")"));
        }
        // the socket timeouts bound each read; this bounds the whole exchange
        return result.orTimeout(millis + 100L, TimeUnit.MILLISECONDS).exceptionallyCompose(e ->
                CompletableFuture.failedFuture(e instanceof TimeoutException
                        ? new TimeoutException(server + " did not answer within " + millis + " ms") : e));
    }

    @Override
    public void closeConnections(ServerAddress server, String reason) {
        SessionRegistry sessions = admin.attachedSessions();
        if (sessions == null) {
            return;
        }
        IOException cause = new IOException("connection to " + server + " closed by Junction: " + reason);
        AtomicInteger closed = new AtomicInteger();
        for (ClientSession s : sessions.all()) {
            if (s.channel() == null) {
                continue;
            }
            // a session's connections belong to its event loop: look and close there
            s.channel().eventLoop().execute(() -> {
                for (ServerConnection sc : s.connections()) {
                    if (sc.address().equals(server) && !sc.isClosed()) {
                        sc.close(cause);
                        if (closed.getAndIncrement() == 0) {
                            LOG.info("Closing client sessions' connections to {}: {}", server, reason);
                        }
                    }
                }
            });
        }
    }
}
