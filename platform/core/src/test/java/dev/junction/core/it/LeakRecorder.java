package dev.junction.core.it;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records every buffer leak Netty's (paranoid) leak detector reports. Installed before any Netty buffer
 * class is initialised (the test fixtures reference it first).
 */
public final class LeakRecorder extends ResourceLeakDetectorFactory {

    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();
    private static boolean installed;

    public static synchronized void install() {
        if (!installed) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
            ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new LeakRecorder());
            installed = true;
        }
    }

    /** Collects garbage, lets the detector look at it, and returns the leaks reported so far. */
    public static List<String> collect() throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            System.gc();
            System.runFinalization();
            Thread.sleep(50);
            for (int j = 0; j < 100; j++) {
                ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer(16);
                b.release();
            }
        }
        return List.copyOf(LEAKS);
    }

    @Override
    @SuppressWarnings("deprecation")
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
        return new ResourceLeakDetector<T>(resource, samplingInterval) {
            @Override
            protected void reportTracedLeak(String resourceType, String records) {
                LEAKS.add(resourceType + " leaked:" + records);
                super.reportTracedLeak(resourceType, records);
            }

            @Override
            protected void reportUntracedLeak(String resourceType) {
                LEAKS.add(resourceType + " leaked (untraced)");
                super.reportUntracedLeak(resourceType);
            }
        };
    }
}
