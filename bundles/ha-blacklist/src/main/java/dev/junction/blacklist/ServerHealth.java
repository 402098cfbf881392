package dev.junction.blacklist;

import dev.junction.api.health.Verdict;
import dev.junction.api.topology.ServerAddress;
import dev.junction.api.topology.ServerState;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the blacklists know of one server: whether it is in the state, detect, alive-but-unavailable and manual
 * lists, why and since when, and the failure counts behind them. Changes take the object's lock (they are rare:
 * failures, probe results, state polls); the event loops read the precomputed {@link #verdict} and never lock.
 */
final class ServerHealth {

    final ServerAddress server;
    volatile String cluster = "";
    volatile String zone = "";

    // state blacklist (metadata)
    private ServerState state = ServerState.ACTIVE;
    private boolean stateListed;
    private long stateSinceNanos;
    private long stateSinceMillis;

    // detect blacklist (probes)
    private int probeFailures;
    private boolean dead;
    private long deadSinceMillis;
    private String probeError = "";
    /** Probes started and not yet answered. */
    final AtomicInteger probesRunning = new AtomicInteger();

    // alive-but-unavailable blacklist (real traffic)
    private final ArrayDeque<Long> failureNanos = new ArrayDeque<>();
    private boolean unavailable;
    private long unavailableSinceMillis;
    private String lastFailure = "";
    /** When the next trial statement may go to an unavailable server (nanoTime). */
    final AtomicLong nextTrialNanos = new AtomicLong();

    // manual
    private boolean manual;
    private String manualReason = "";
    private long manualSinceMillis;

    /** The verdict for new statements, recomputed on every change. */
    volatile Verdict verdict = Verdict.allow();
    /** Whether the only list it is in is the alive-but-unavailable one (trial statements are allowed then). */
    volatile boolean onlyUnavailable;
    /** Last success or failure of real traffic (nanoTime), for {@code detect_mode = used}. */
    volatile long lastTrafficNanos;

    /** @param now the clock's time: the server counts as used long ago (nanoTime has no fixed origin) */
    ServerHealth(ServerAddress server, long now) {
        this.server = server;
        this.lastTrafficNanos = now - (1L << 61);
    }

    // ---- state

    /** A metadata poll says {@code s}; returns a log line when the state list changed. */
    synchronized String observeState(ServerState s, long now, long minHoldNanos) {
        state = s;
        boolean bad = isBadState(s);
        if (bad && !stateListed) {
            stateListed = true;
            stateSinceNanos = now;
            stateSinceMillis = System.currentTimeMillis();
            update();
            return server + " state blacklisted: metadata state " + s;
        }
        if (!bad && stateListed && now - stateSinceNanos >= minHoldNanos) {
            stateListed = false;
            update();
            return server + " released from the state blacklist: metadata state " + s;
        }
        if (stateListed) {
            update(); // the reason shows the current state
        }
        return null;
    }

    static boolean isBadState(ServerState s) {
        switch (s) {
            case INACTIVE:
            case REPLAY:
            case UPGRADE:
            case DELETING:
            case DELETED:
                return true;
            default:
                return false;
        }
    }

    // ---- detect

    /** A probe failed; returns whether the server just became DETECT_DEAD. */
    synchronized boolean probeFailed(String error, int threshold) {
        probeFailures++;
        probeError = error;
        if (!dead && probeFailures >= threshold) {
            dead = true;
            deadSinceMillis = System.currentTimeMillis();
            update();
            return true;
        }
        if (dead) {
            update();
        }
        return false;
    }

    /**
     * A probe succeeded: DETECT_ALIVE. Returns whether it was dead; then the alive-but-unavailable record is
     * cleared too (its failures were the outage the probes saw end).
     */
    synchronized boolean probeSucceeded() {
        probeFailures = 0;
        probeError = "";
        if (!dead) {
            return false;
        }
        dead = false;
        clearUnavailable();
        update();
        return true;
    }

    synchronized boolean dead() {
        return dead;
    }

    // ---- alive but unavailable

    /** A failure of real traffic; returns whether the server just entered the alive-but-unavailable list. */
    synchronized boolean trafficFailed(String what, long now, BlacklistConfig c) {
        lastTrafficNanos = now;
        lastFailure = what;
        long windowNanos = c.unavailableWindowMillis * 1_000_000L;
        failureNanos.addLast(now);
        while (!failureNanos.isEmpty() && now - failureNanos.peekFirst() > windowNanos) {
            failureNanos.removeFirst();
        }
        while (failureNanos.size() > c.unavailableFailures) {
            failureNanos.removeFirst(); // only the threshold's worth matters
        }
        long retry = c.unavailableRetryMillis * 1_000_000L;
        if (unavailable) {
            nextTrialNanos.set(now + retry); // a failed trial (or late failure): wait again
            update();
            return false;
        }
        if (failureNanos.size() >= c.unavailableFailures) {
            unavailable = true;
            unavailableSinceMillis = System.currentTimeMillis();
            nextTrialNanos.set(now + retry);
            update();
            return true;
        }
        return false;
    }

    /** A statement succeeded there: whitewashes an unavailable server. Returns whether it was listed. */
    synchronized boolean trafficSucceeded() {
        if (!unavailable) {
            return false;
        }
        clearUnavailable();
        update();
        return true;
    }

    private void clearUnavailable() {
        unavailable = false;
        failureNanos.clear();
    }

    synchronized int trafficFailures(long now, long windowNanos) {
        int n = 0;
        for (long t : failureNanos) {
            if (now - t <= windowNanos) {
                n++;
            }
        }
        return n;
    }

    // ---- manual

    synchronized void add(String reason) {
        manual = true;
        manualReason = reason;
        manualSinceMillis = System.currentTimeMillis();
        update();
    }

    /** Takes the server out of every list and forgets its failures; returns the lists it was in. */
    synchronized List<String> remove() {
        List<String> was = lists();
        manual = false;
        stateListed = false;
        dead = false;
        probeFailures = 0;
        probeError = "";
        clearUnavailable();
        update();
        return was;
    }

    // ---- views

    synchronized List<String> lists() {
        List<String> out = new ArrayList<>(4);
        if (stateListed) {
            out.add("state");
        }
        if (dead) {
            out.add("detect");
        }
        if (unavailable) {
            out.add("unavailable");
        }
        if (manual) {
            out.add("manual");
        }
        return out;
    }

    /** One row of {@code junction:blacklist}. */
    synchronized Row row(long now, BlacklistConfig c) {
        List<String> lists = lists();
        return new Row(server, cluster, zone, lists.isEmpty() ? "-" : String.join(",", lists), reason(),
                since(), detectState(), probeFailures, trafficFailures(now, c.unavailableWindowMillis * 1_000_000L),
                verdict.toString());
    }

    private String detectState() {
        return dead ? "DETECT_DEAD" : "DETECT_ALIVE";
    }

    private String since() {
        long t = Long.MAX_VALUE;
        if (stateListed) {
            t = Math.min(t, stateSinceMillis);
        }
        if (dead) {
            t = Math.min(t, deadSinceMillis);
        }
        if (unavailable) {
            t = Math.min(t, unavailableSinceMillis);
        }
        if (manual) {
            t = Math.min(t, manualSinceMillis);
        }
        return t == Long.MAX_VALUE ? "-" : time(t);
    }

    private static String time(long millis) {
        return Instant.ofEpochMilli(millis).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private String reason() {
        List<String> why = new ArrayList<>(4);
        if (stateListed) {
            why.add("state: metadata state " + state + (isBadState(state) ? "" : ", held the minimum time")
                    + " since " + time(stateSinceMillis));
        }
        if (dead) {
            why.add("detect: DETECT_DEAD since " + time(deadSinceMillis) + ", " + probeFailures
                    + " failed probes in a row (" + probeError + ")");
        }
        if (unavailable) {
            why.add("unavailable: since " + time(unavailableSinceMillis) + " after " + failureNanos.size()
                    + " failures of real traffic (last: " + lastFailure + ")");
        }
        if (manual) {
            why.add("manual: " + manualReason + " since " + time(manualSinceMillis));
        }
        return why.isEmpty() ? "-" : String.join("; ", why);
    }

    /** Recomputes the verdict; call with the lock held after every change. */
    private void update() {
        boolean listed = stateListed || dead || unavailable || manual;
        onlyUnavailable = unavailable && !stateListed && !dead && !manual;
        verdict = listed ? Verdict.veto(reason()) : Verdict.allow();
    }

    /** One server as {@code junction:blacklist} shows it. */
    record Row(ServerAddress server, String cluster, String zone, String lists, String reason, String since,
            String detect, int probeFailures, int trafficFailures, String verdict) {
    }
}
