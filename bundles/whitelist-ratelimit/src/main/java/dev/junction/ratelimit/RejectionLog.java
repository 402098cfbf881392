package dev.junction.ratelimit;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs refusals (logins, statements), at most {@code perSecond} lines a second; the next line logged says how many were left
 * out meanwhile (a client retrying in a loop, or a scan, must not flood the log).
 */
final class RejectionLog {

    private final Logger log;
    private final int perSecond;
    private final String what;
    private final AtomicLong second = new AtomicLong();
    private final AtomicInteger inSecond = new AtomicInteger();
    private final AtomicLong suppressed = new AtomicLong();

    RejectionLog(Logger log, int perSecond) {
        this(log, perSecond, "refused logins");
    }

    /** @param what what is logged, in the plural ("refused logins", "rejected statements") */
    RejectionLog(Logger log, int perSecond, String what) {
        this.log = log;
        this.perSecond = perSecond;
        this.what = what;
    }

    /** Logs the line unless this second's budget is spent; returns whether it was logged. */
    boolean warn(String line) {
        long now = System.nanoTime() / 1_000_000_000L;
        long s = second.get();
        if (s != now && second.compareAndSet(s, now)) {
            inSecond.set(0);
        }
        if (inSecond.incrementAndGet() > perSecond) {
            suppressed.incrementAndGet();
            return false;
        }
        long n = suppressed.getAndSet(0);
        log.warn("{}{}", line, n == 0 ? "" : " (" + n + " more " + what + " not logged)");
        return true;
    }
}
