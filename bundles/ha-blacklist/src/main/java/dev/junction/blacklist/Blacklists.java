package dev.junction.blacklist;

import dev.junction.api.health.FailureKind;
import dev.junction.api.health.Verdict;
import dev.junction.api.topology.Replica;
import dev.junction.api.topology.ServerAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three blacklists of every server (plus servers added by hand) and the rules that move servers in and out:
 * <ul>
 * <li>state: a bad metadata state (INACTIVE, REPLAY, UPGRADE, DELETING, DELETED) lists it; a good state
 * releases it once it was held {@code state_min_hold};</li>
 * <li>detect: {@code detect_failures} failed probes in a row make it DETECT_DEAD; one answer makes it
 * DETECT_ALIVE again (and forgets its failures of real traffic: they were the outage that ended);</li>
 * <li>alive but unavailable: {@code unavailable_failures} failures of real traffic within
 * {@code unavailable_window} list it; every {@code unavailable_retry_interval} one trial statement may go
 * there, and a success whitewashes it.</li>
 * </ul>
 * A server in any list is vetoed: tried only after every other candidate.
 */
final class Blacklists {

    private static final Logger LOG = LoggerFactory.getLogger(Blacklists.class);
    /** While a trial is granted and its outcome unknown, another statement may be the trial after this long. */
    static final long TRIAL_REGRANT_NANOS = 1_000_000_000L;

    private final ConcurrentHashMap<ServerAddress, ServerHealth> servers = new ConcurrentHashMap<>();
    private final LongSupplier nanos;
    private volatile BlacklistConfig config = BlacklistConfig.DEFAULTS;

    Blacklists(LongSupplier nanos) {
        this.nanos = nanos;
    }

    Blacklists() {
        this(System::nanoTime);
    }

    BlacklistConfig config() {
        return config;
    }

    void config(BlacklistConfig c) {
        this.config = c;
    }

    ServerHealth health(ServerAddress server) {
        ServerHealth h = servers.get(server);
        return h != null ? h : servers.computeIfAbsent(server, a -> new ServerHealth(a, nanos.getAsLong()));
    }

    // ---- the event loops' side: no locks, no allocation when nothing is listed

    /** The verdict on a candidate; grants one trial statement to an unavailable server when its time came. */
    Verdict check(Replica candidate) {
        ServerHealth h = servers.get(candidate.server());
        if (h == null) {
            return ServerHealth.isBadState(candidate.state())
                    ? Verdict.veto("state: metadata state " + candidate.state()) : Verdict.allow();
        }
        Verdict v = h.verdict;
        if (v.kind() == Verdict.Kind.ALLOW && ServerHealth.isBadState(candidate.state())) {
            return Verdict.veto("state: metadata state " + candidate.state()); // the next poll lists it
        }
        if (v.kind() == Verdict.Kind.VETO && h.onlyUnavailable) {
            long now = nanos.getAsLong();
            long due = h.nextTrialNanos.get();
            if (now - due >= 0 && h.nextTrialNanos.compareAndSet(due, now + TRIAL_REGRANT_NANOS)) {
                return Verdict.allow(); // the trial statement
            }
        }
        return v;
    }

    /** A statement completed on {@code server}. */
    void success(ServerAddress server) {
        ServerHealth h = servers.get(server);
        if (h == null) {
            h = health(server);
        }
        long now = nanos.getAsLong();
        if (now - h.lastTrafficNanos > 100_000_000L) {
            h.lastTrafficNanos = now; // written at most every 100 ms: no cache line ping-pong per statement
        }
        if (h.onlyUnavailable || h.verdict.kind() != Verdict.Kind.ALLOW) {
            if (h.trafficSucceeded()) {
                LOG.info("{} whitewashed: a statement succeeded there; removed from the alive-but-unavailable blacklist",
                        server);
            }
        }
    }

    /** Real traffic to {@code server} failed. */
    void failure(ServerAddress server, FailureKind kind, String detail) {
        if (kind == FailureKind.LOCATION_CHANGED) {
            return; // the server is fine, the data moved
        }
        BlacklistConfig c = config;
        ServerHealth h = health(server);
        if (h.trafficFailed(kind + ": " + detail, nanos.getAsLong(), c)) {
            LOG.warn("{} blacklisted as alive but unavailable: {} failures of real traffic within {} ms (last: {} {});"
                    + " a trial statement goes there in {} ms", server, c.unavailableFailures, c.unavailableWindowMillis,
                    kind, detail, c.unavailableRetryMillis);
        }
    }

    // ---- the detector's side

    void observe(String cluster, Replica r) {
        ServerHealth h = health(r.server());
        h.cluster = cluster;
        h.zone = r.zone().name();
        String change = h.observeState(r.state(), nanos.getAsLong(), config.stateMinHoldMillis * 1_000_000L);
        if (change != null) {
            LOG.warn("{}", change);
        }
    }

    /** Returns whether the server just became DETECT_DEAD (its connections are to be closed). */
    boolean probeFailed(ServerAddress server, String error) {
        BlacklistConfig c = config;
        ServerHealth h = health(server);
        if (h.probeFailed(error, c.detectFailures)) {
            LOG.warn("{} is DETECT_DEAD: {} probes in a row failed (last: {}); blacklisted", server, c.detectFailures, error);
            return true;
        }
        return false;
    }

    void probeSucceeded(ServerAddress server) {
        if (health(server).probeSucceeded()) {
            LOG.info("{} is DETECT_ALIVE: a probe succeeded; removed from the detect blacklist", server);
        }
    }

    /** Whether {@code detect_mode = used} probes this server: recent traffic, or held dead by the probes. */
    boolean recentlyUsed(ServerAddress server) {
        ServerHealth h = servers.get(server);
        if (h == null) {
            return false;
        }
        return h.dead() || nanos.getAsLong() - h.lastTrafficNanos <= config.detectRecentMillis * 1_000_000L;
    }

    // ---- admin

    void add(ServerAddress server, String reason) {
        health(server).add(reason);
        LOG.warn("{} blacklisted by hand: {}", server, reason);
    }

    /** Takes a server out of every list; returns the lists it was in. */
    List<String> remove(ServerAddress server) {
        ServerHealth h = servers.get(server);
        if (h == null) {
            return List.of();
        }
        List<String> was = h.remove();
        LOG.info("{} removed from the blacklists by hand (was in: {})", server, was.isEmpty() ? "none" : was);
        return was;
    }

    List<ServerHealth.Row> rows() {
        long now = nanos.getAsLong();
        BlacklistConfig c = config;
        List<ServerHealth.Row> out = new ArrayList<>();
        for (ServerHealth h : servers.values()) {
            out.add(h.row(now, c));
        }
        out.sort(Comparator.comparing((ServerHealth.Row r) -> r.cluster()).thenComparing(r -> r.server().toString()));
        return out;
    }
}
