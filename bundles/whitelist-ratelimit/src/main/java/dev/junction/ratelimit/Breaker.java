package dev.junction.ratelimit;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * One circuit breaker rule. Closed: statements pass and their outcomes are counted over a sliding window (ten
 * slots of a tenth of it); when at least {@code minStatements} ended in the window and the share that failed (an
 * error, or slower than {@code slowNanos} when set) reaches {@code errorRatePercent}, it opens. Open: statements
 * fail fast for {@code coolDownNanos}. Half-open: {@code trials} statements go through; one failure opens it again,
 * {@code trials} successes close it. Lock-free; concurrent edges may let a statement or two more through.
 */
final class Breaker {

    enum State { CLOSED, OPEN, HALF_OPEN }

    private static final int SLOTS = 10;

    final String name;
    final String definition;
    final Match match;
    final int errorRatePercent;
    final long slowNanos;
    final long windowNanos;
    final int minStatements;
    final long coolDownNanos;
    final int trials;
    private final long slotNanos;
    private final AtomicLongArray slotEpoch = new AtomicLongArray(SLOTS);
    private final AtomicLongArray slotTotal = new AtomicLongArray(SLOTS);
    private final AtomicLongArray slotFailed = new AtomicLongArray(SLOTS);
    private volatile State state = State.CLOSED;
    private volatile long changedAt = System.nanoTime();
    private volatile String reason = "";
    private final AtomicInteger trialsGiven = new AtomicInteger();
    private final AtomicInteger trialsPassed = new AtomicInteger();
    final LongAdder allowed = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder opened = new LongAdder();

    Breaker(String name, String definition, Match match, int errorRatePercent, long slowNanos, long windowNanos,
            int minStatements, long coolDownNanos, int trials) {
        this.name = name;
        this.definition = definition;
        this.match = match;
        this.errorRatePercent = errorRatePercent;
        this.slowNanos = slowNanos;
        this.windowNanos = windowNanos;
        this.minStatements = minStatements;
        this.coolDownNanos = coolDownNanos;
        this.trials = trials;
        this.slotNanos = Math.max(1, windowNanos / SLOTS);
        for (int i = 0; i < SLOTS; i++) {
            slotEpoch.set(i, Long.MIN_VALUE);
        }
    }

    /** Whether a statement may run now (closed, or a half-open trial). */
    boolean admit(long now) {
        State s = state;
        if (s == State.CLOSED) {
            allowed.increment();
            return true;
        }
        if (s == State.OPEN) {
            if (now - changedAt < coolDownNanos) {
                rejected.increment();
                return false;
            }
            synchronized (this) { // once per cool-down, never on the closed path
                if (state == State.OPEN) {
                    trialsGiven.set(0);
                    trialsPassed.set(0);
                    changedAt = now;
                    state = State.HALF_OPEN;
                }
            }
        }
        if (trialsGiven.incrementAndGet() <= trials) {
            allowed.increment();
            return true;
        }
        if (state == State.HALF_OPEN && now - changedAt > coolDownNanos) {
            // trials that never reported (rejected by a throttle, client gone): let new ones through
            synchronized (this) {
                if (state == State.HALF_OPEN && now - changedAt > coolDownNanos) {
                    trialsGiven.set(1);
                    trialsPassed.set(0);
                    changedAt = now;
                    allowed.increment();
                    return true;
                }
            }
        }
        rejected.increment();
        return false;
    }

    /** A statement this breaker covers ended. */
    void record(long now, boolean error, long elapsedNanos) {
        boolean failed = error || (slowNanos > 0 && elapsedNanos > slowNanos);
        State s = state;
        if (s == State.HALF_OPEN) {
            if (failed) {
                open(now, "a trial statement failed" + (error ? "" : " (slower than " + slowNanos / 1_000_000 + "ms)"));
            } else if (trialsPassed.incrementAndGet() >= trials) {
                close(now);
            }
            return;
        }
        if (s == State.OPEN) {
            return; // admitted before it opened
        }
        long epoch = now / slotNanos;
        int i = (int) Math.floorMod(epoch, (long) SLOTS);
        long e = slotEpoch.get(i);
        if (e != epoch && slotEpoch.compareAndSet(i, e, epoch)) {
            slotTotal.set(i, 0);
            slotFailed.set(i, 0);
        }
        slotTotal.incrementAndGet(i);
        if (!failed) {
            return;
        }
        slotFailed.incrementAndGet(i);
        long total = 0;
        long bad = 0;
        for (int j = 0; j < SLOTS; j++) {
            if (slotEpoch.get(j) > epoch - SLOTS) { // a slot of this window (never-used slots hold Long.MIN_VALUE)
                total += slotTotal.get(j);
                bad += slotFailed.get(j);
            }
        }
        if (total >= minStatements && bad * 100 >= (long) errorRatePercent * total) {
            open(now, bad + " of " + total + " statements failed in " + windowNanos / 1_000_000 + "ms");
        }
    }

    private synchronized void open(long now, String why) {
        if (state == State.OPEN) {
            return;
        }
        reason = why;
        changedAt = now;
        state = State.OPEN;
        opened.increment();
    }

    private synchronized void close(long now) {
        if (state != State.HALF_OPEN) {
            return;
        }
        for (int j = 0; j < SLOTS; j++) {
            slotEpoch.set(j, Long.MIN_VALUE);
            slotTotal.set(j, 0);
            slotFailed.set(j, 0);
        }
        reason = "";
        changedAt = now;
        state = State.CLOSED;
    }

    State state() {
        return state;
    }

    String reason() {
        return reason;
    }

    /** Nanoseconds until an open breaker lets trials through (0 when not open). */
    long coolDownLeft(long now) {
        return state == State.OPEN ? Math.max(0, coolDownNanos - (now - changedAt)) : 0;
    }

    String limits() {
        return errorRatePercent + "% of >= " + minStatements + " in " + windowNanos / 1_000_000 + "ms"
                + (slowNanos > 0 ? " (slow > " + slowNanos / 1_000_000 + "ms)" : "") + ", cool-down "
                + coolDownNanos / 1_000_000 + "ms, " + trials + " trials";
    }

    @Override
    public String toString() {
        return "breaker." + name + " (" + match + ")";
    }
}
