package dev.junction.ldc;

import dev.junction.api.health.ServerControl;
import dev.junction.api.topology.ServerAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Roles and lag of the servers of MySQL/MariaDB replication clusters, from {@code SHOW SLAVE STATUS} run on a
 * timer through {@link ServerControl} (its own threads, never an event loop). A server with a replication row is
 * a replica, lagging by {@code Seconds_Behind_Master} (NULL: a stopped or broken replication, lag unknown); one
 * without is a primary. Routing reads the last answers from a concurrent map without waiting.
 */
final class ReplicationStatus implements AutoCloseable {

    /** What the last check said of a server. */
    record State(boolean replica, long lagSeconds, String detail) {
        static final long UNKNOWN = -1;

        /** Whether a replica is further behind than {@code maxLagMillis} or cannot say how far. */
        boolean lagging(long maxLagMillis) {
            return replica && (lagSeconds == UNKNOWN || lagSeconds * 1000L > maxLagMillis);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ReplicationStatus.class);

    private final ServerControl control;
    private final Map<ServerAddress, State> states = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "junction-ldc-replication");
        t.setDaemon(true);
        return t;
    });
    private ScheduledFuture<?> task;
    private volatile LdcConfig config = LdcConfig.DEFAULT;

    ReplicationStatus(ServerControl control) {
        this.control = control;
    }

    /** Starts or reschedules the checks for {@code cfg} (no checks without replication clusters). */
    synchronized void configure(LdcConfig cfg) {
        LdcConfig old = config;
        config = cfg;
        if (task != null && old.lagCheckIntervalMillis == cfg.lagCheckIntervalMillis && !cfg.replicationClusters.isEmpty()) {
            return;
        }
        if (task != null) {
            task.cancel(false);
            task = null;
        }
        if (cfg.replicationClusters.isEmpty() || control == null) {
            states.clear();
            return;
        }
        task = timer.scheduleWithFixedDelay(this::checkAll, 0, cfg.lagCheckIntervalMillis, TimeUnit.MILLISECONDS);
    }

    /** The last known state of a server, or null when it is not a checked replication server. */
    State of(ServerAddress server) {
        return states.isEmpty() ? null : states.get(server);
    }

    Map<ServerAddress, State> all() {
        return Map.copyOf(states);
    }

    private void checkAll() {
        LdcConfig cfg = config;
        try {
            for (ServerControl.KnownServer s : control.servers()) {
                if (!cfg.replicationClusters.contains(s.cluster().toLowerCase(java.util.Locale.ROOT))) {
                    continue;
                }
                ServerAddress a = s.replica().server();
                control.query(s.cluster(), a, "SHOW SLAVE STATUS", Duration.ofMillis(cfg.lagCheckTimeoutMillis))
                        .whenComplete((rows, error) -> record(a, rows, error));
            }
        } catch (RuntimeException e) {
            LOG.warn("Replication check failed: {}", e.toString());
        }
    }

    private void record(ServerAddress a, List<Map<String, String>> rows, Throwable error) {
        State before = states.get(a);
        State now;
        if (error != null) {
            // role unknown: keep the last one; a replica that cannot be asked is treated as lagging
            now = new State(before != null && before.replica(), State.UNKNOWN, "check failed: " + error.getMessage());
        } else if (rows.isEmpty()) {
            now = new State(false, 0, "primary");
        } else {
            long worst = 0;
            String detail = "replica";
            for (Map<String, String> r : rows) {
                String lag = r.get("Seconds_Behind_Master");
                if (lag == null) {
                    worst = State.UNKNOWN;
                    detail = "replica, replication stopped (IO " + r.get("Slave_IO_Running") + ", SQL "
                            + r.get("Slave_SQL_Running") + ")";
                    break;
                }
                try {
                    worst = Math.max(worst, Long.parseLong(lag.trim()));
                } catch (NumberFormatException e) {
                    worst = State.UNKNOWN;
                    break;
                }
                detail = "replica, " + worst + " s behind";
            }
            now = new State(true, worst, detail);
        }
        if (before == null || before.lagging(config.maxLagMillis) != now.lagging(config.maxLagMillis)
                || before.replica() != now.replica()) {
            LOG.info("Replication server {}: {}{}", a, now.detail(),
                    now.lagging(config.maxLagMillis) ? " (weak reads skip it)" : "");
        }
        states.put(a, now);
    }

    @Override
    public synchronized void close() {
        timer.shutdownNow();
        states.clear();
    }
}
