package dev.junction.core.session;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wall-clock milliseconds that cost a memory read instead of a clock read, at most {@link #TICK_MILLIS} (and one
 * event-loop turn) behind. A session's state changes, two or three per statement, are stamped with it: SHOW
 * PROCESSLIST's Time column counts seconds, and picking the least recently used idle session needs no finer
 * clock. While nothing ticks it (no proxy running), reads fall back to the real clock.
 */
public final class CoarseClock {

    /**
     * How often a running proxy advances the clock. Every tick wakes the accept loop's thread, which costs far more
     * than the tick's work (50–130 µs of CPU on an idle small VM): ten a second, not fifty. Its readers count seconds
     * (timeouts, SHOW PROCESSLIST's Time), so a tenth of a second behind is close enough.
     */
    public static final long TICK_MILLIS = 100;

    private static final AtomicInteger TICKERS = new AtomicInteger();
    private static volatile long millis = System.currentTimeMillis();

    private CoarseClock() {
    }

    public static long millis() {
        return TICKERS.get() > 0 ? millis : System.currentTimeMillis();
    }

    /** Stops one ticking. */
    public interface Ticking extends AutoCloseable {
        @Override
        void close();
    }

    /** Advances the clock from {@code loop} every {@link #TICK_MILLIS} until the returned handle is closed. */
    public static Ticking tickOn(EventExecutor loop) {
        millis = System.currentTimeMillis();
        ScheduledFuture<?> ticks = loop.scheduleAtFixedRate(() -> millis = System.currentTimeMillis(), TICK_MILLIS,
                TICK_MILLIS, TimeUnit.MILLISECONDS);
        TICKERS.incrementAndGet();
        return () -> {
            if (ticks.cancel(false)) {
                TICKERS.decrementAndGet();
            }
        };
    }
}
