package dev.junction.core.metadata;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Rate-limited problem logging for the metadata thread: the first occurrence of a problem (by key) is a
 * WARN line; while it persists it is repeated at most once per interval with the number of occurrences
 * since; when it clears, one INFO line says so. Each distinct message under one key restarts the cycle.
 */
final class ProblemLog {

    private static final class State {
        String message;
        long lastLoggedMillis;
        long suppressed;
    }

    private final Logger log;
    private final String prefix;
    private final long intervalMillis;
    private final LongSupplier clock;
    private final Map<String, State> problems = new HashMap<>();

    ProblemLog(Logger log, String prefix, long intervalMillis, LongSupplier clock) {
        this.log = log;
        this.prefix = prefix;
        this.intervalMillis = intervalMillis;
        this.clock = clock;
    }

    synchronized void problem(String key, String message) {
        long now = clock.getAsLong();
        State s = problems.get(key);
        if (s == null || !s.message.equals(message)) {
            s = new State();
            s.message = message;
            s.lastLoggedMillis = now;
            problems.put(key, s);
            log.warn("{}{} (the last good metadata keeps serving)", prefix, message);
            return;
        }
        if (now - s.lastLoggedMillis >= intervalMillis) {
            log.warn("{}{} (still; {} more times since last logged)", prefix, message, s.suppressed + 1);
            s.lastLoggedMillis = now;
            s.suppressed = 0;
        } else {
            s.suppressed++;
        }
    }

    synchronized void ok(String key) {
        State s = problems.remove(key);
        if (s != null) {
            log.info("{}recovered: {}", prefix, s.message);
        }
    }

    synchronized boolean has(String key) {
        return problems.containsKey(key);
    }
}
