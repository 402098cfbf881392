package dev.junction.ratelimit;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One throttle rule: a statements-per-second limit (a token bucket kept as the time the next statement is due,
 * "GCRA", one compare-and-set per statement) and/or a limit on statements running at once, plus how long a
 * statement may wait for room. Counters: allowed, delayed (had to wait, allowed or not), rejected.
 */
final class Throttle {

    final String name;
    final String definition;
    final Match match;
    /** Statements a second, 0 for none. */
    final double qps;
    final int burst;
    /** Statements running at once, -1 for none. */
    final int concurrency;
    final long maxWaitNanos;
    private final long intervalNanos;
    private final long toleranceNanos;
    /** When the next statement is due at the steady rate (theoretical arrival time). */
    private final AtomicLong due = new AtomicLong(System.nanoTime());
    final AtomicInteger running = new AtomicInteger();
    final LongAdder allowed = new LongAdder();
    final LongAdder delayed = new LongAdder();
    final LongAdder rejected = new LongAdder();

    Throttle(String name, String definition, Match match, double qps, int burst, int concurrency, long maxWaitNanos) {
        this.name = name;
        this.definition = definition;
        this.match = match;
        this.qps = qps;
        this.burst = burst;
        this.concurrency = concurrency;
        this.maxWaitNanos = maxWaitNanos;
        this.intervalNanos = qps > 0 ? Math.max(1, Math.round(1e9 / qps)) : 0;
        this.toleranceNanos = intervalNanos * (Math.max(1, burst) - 1L);
    }

    boolean limitsRate() {
        return intervalNanos > 0;
    }

    /**
     * Takes the next statement slot: 0 when the statement may run now, the nanoseconds to wait for the reserved
     * slot, or -1 (nothing reserved) when that wait would be longer than {@code waitLeftNanos}.
     */
    long reserve(long now, long waitLeftNanos) {
        for (;;) {
            long d = due.get();
            long base = d - now > 0 ? d : now;
            long wait = base - toleranceNanos - now;
            if (wait > waitLeftNanos) {
                return -1;
            }
            if (due.compareAndSet(d, base + intervalNanos)) {
                return Math.max(0, wait);
            }
        }
    }

    /** Takes one place among the running statements unless all are taken. */
    boolean enter() {
        return ConnectionLimits.tryIncrement(running, concurrency);
    }

    void leave() {
        running.decrementAndGet();
    }

    /** The rate as configured ({@code 200}, {@code 0.5}). */
    String rate() {
        return qps == Math.rint(qps) ? String.valueOf((long) qps) : String.valueOf(qps);
    }

    String limits() {
        StringBuilder sb = new StringBuilder();
        if (qps > 0) {
            sb.append(rate()).append("/s burst ").append(burst);
        }
        if (concurrency >= 0) {
            sb.append(sb.length() == 0 ? "" : ", ").append(concurrency).append(" at once");
        }
        return sb.append(", wait ").append(maxWaitNanos / 1_000_000).append("ms").toString();
    }

    @Override
    public String toString() {
        return "throttle." + name + " (" + match + ")";
    }
}
