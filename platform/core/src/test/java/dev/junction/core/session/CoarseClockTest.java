package dev.junction.core.session;

import static org.junit.Assert.assertTrue;

import io.netty.channel.DefaultEventLoop;
import java.util.concurrent.TimeUnit;
import org.junit.Test;

public class CoarseClockTest {

    @Test
    public void aTickedClockAdvancesAndStaysCloseBehindTheRealOne() {
        DefaultEventLoop loop = new DefaultEventLoop();
        try (CoarseClock.Ticking ticking = CoarseClock.tickOn(loop)) {
            long first = CoarseClock.millis();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (CoarseClock.millis() == first) {
                assertTrue("the clock never ticked", System.nanoTime() < deadline);
                Thread.onSpinWait();
            }
            long coarse = CoarseClock.millis();
            long real = System.currentTimeMillis();
            assertTrue(coarse + " vs " + real, coarse <= real && real - coarse < 1000); // a busy machine may lag
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
