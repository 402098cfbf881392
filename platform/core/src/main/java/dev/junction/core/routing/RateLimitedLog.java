package dev.junction.core.routing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/** Logs a warning at most once per interval per key (a misbehaving policy would otherwise flood the log). */
final class RateLimitedLog {

    private final Logger log;
    private final long intervalNanos;
    private final Map<String, Long> last = new ConcurrentHashMap<>();
    private final Map<String, Long> suppressed = new ConcurrentHashMap<>();

    RateLimitedLog(Logger log, long intervalMillis) {
        this.log = log;
        this.intervalNanos = intervalMillis * 1_000_000L;
    }

    void warn(String key, String message) {
        long now = System.nanoTime();
        Long prev = last.get(key);
        if (prev != null && now - prev < intervalNanos) {
            suppressed.merge(key, 1L, Long::sum);
            return;
        }
        last.put(key, now);
        Long n = suppressed.remove(key);
        log.warn("{}{}", message, n == null ? "" : " (and " + n + " more like it since the last report)");
    }
}
