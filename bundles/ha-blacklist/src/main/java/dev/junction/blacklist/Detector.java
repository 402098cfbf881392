package dev.junction.blacklist;

import dev.junction.api.health.ServerControl;
import dev.junction.api.topology.ServerAddress;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic task behind the state and detect blacklists: every {@code detect_interval} it reads every
 * server's metadata state and starts a probe ({@code detect_sql} with the cluster's internal account and
 * {@code detect_timeout}) on each server {@code detect_mode} selects. A probe does not wait for the previous one:
 * up to {@code detect_failures} run at once per server, so a hung server (accepting TCP, never answering) is
 * found dead about {@code detect_timeout + (detect_failures - 1) × detect_interval} after it stopped. A server
 * that answers, even with an error (e.g. access denied), is alive. When a server becomes DETECT_DEAD every
 * client session's connection to it is closed.
 */
final class Detector implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Detector.class);

    private final Blacklists lists;
    private final ServerControl control;
    private final ScheduledExecutorService timer;
    private ScheduledFuture<?> task;
    private long intervalMillis = -1;

    Detector(Blacklists lists, ServerControl control) {
        this.lists = lists;
        this.control = control;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "junction-blacklist-detector");
            t.setDaemon(true);
            return t;
        });
    }

    /** (Re)starts the periodic task with the current configuration's interval. */
    synchronized void start() {
        long interval = lists.config().detectIntervalMillis;
        if (task != null && interval == intervalMillis) {
            return;
        }
        if (task != null) {
            task.cancel(false);
        }
        intervalMillis = interval;
        task = timer.scheduleWithFixedDelay(this::tick, 0, interval, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        timer.shutdownNow();
    }

    private void tick() {
        try {
            BlacklistConfig c = lists.config();
            for (ServerControl.KnownServer s : control.servers()) {
                lists.observe(s.cluster(), s.replica());
                ServerAddress a = s.replica().server();
                boolean probe = c.detectMode == BlacklistConfig.DetectMode.ALL
                        || (c.detectMode == BlacklistConfig.DetectMode.USED && lists.recentlyUsed(a));
                if (probe) {
                    probe(s.cluster(), a, c);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Blacklist detector round failed: {}", e.toString());
        }
    }

    private void probe(String cluster, ServerAddress server, BlacklistConfig c) {
        ServerHealth h = lists.health(server);
        if (h.probesRunning.incrementAndGet() > c.detectFailures) {
            h.probesRunning.decrementAndGet(); // enough probes in flight to decide
            return;
        }
        control.query(cluster, server, c.detectSql, Duration.ofMillis(c.detectTimeoutMillis))
                .whenComplete((rows, err) -> {
                    h.probesRunning.decrementAndGet();
                    Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                    if (cause == null || cause instanceof SQLException) {
                        lists.probeSucceeded(server); // an error answer proves it alive too
                    } else if (lists.probeFailed(server, String.valueOf(cause.getMessage()))) {
                        control.closeConnections(server, "DETECT_DEAD: " + c.detectFailures + " probes in a row failed");
                    }
                });
    }
}
