package dev.junction.core.net;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.Test;

/** Read buffers go back to the thread that read into them, and only in the cases where that is safe. */
public class ReadBuffersTest {

    static {
        dev.junction.core.it.LeakRecorder.install();
    }

    private static final ByteBufAllocator POOLED = PooledByteBufAllocator.DEFAULT;

    /** The buffer under Netty's leak-tracking wrapper, if any. */
    private static ByteBuf underlying(ByteBuf b) {
        return b.unwrap() != null ? b.unwrap() : b;
    }

    /** Runs {@code body} on a thread like an event loop's (a FastThreadLocalThread) and rethrows what it threw. */
    private static void onLoopThread(ThrowingRunnable body) throws Throwable {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new FastThreadLocalThread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        t.join();
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    public void aReleasedBufferServesTheNextReadEmptyAndWithOneReference() throws Throwable {
        onLoopThread(() -> {
            ByteBuf first = ReadBuffers.take(POOLED, 2048);
            assertTrue(underlying(first) instanceof ReadBuffers.ReusableBuffer);
            assertEquals(ReadBuffers.SIZE, first.capacity());
            first.writeBytes(new byte[] {1, 2, 3});
            ByteBuf slice = first.retainedSlice(0, 2); // a frame handed on keeps it alive
            first.release();
            ByteBuf whileHeld = ReadBuffers.take(POOLED, 2048);
            assertNotSame("still held by the slice", underlying(first), underlying(whileHeld));
            assertEquals(2, slice.getByte(1));
            slice.release();
            whileHeld.release();
            ByteBuf again = ReadBuffers.take(POOLED, 64);
            ByteBuf reused = underlying(again);
            assertTrue(reused == underlying(first) || reused == underlying(whileHeld));
            assertEquals(1, again.refCnt());
            assertEquals(0, again.readerIndex());
            assertEquals(0, again.writerIndex());
            again.release();
        });
    }

    @Test
    public void pooledBuffersBeyondTheShelfForBigReadsAndOffLoopThreads() throws Throwable {
        ByteBuf off = ReadBuffers.take(POOLED, 2048); // the test runner's thread is no event loop
        assertFalse(underlying(off) instanceof ReadBuffers.ReusableBuffer);
        off.release();
        onLoopThread(() -> {
            ByteBuf big = ReadBuffers.take(POOLED, ReadBuffers.SIZE + 1);
            assertFalse(underlying(big) instanceof ReadBuffers.ReusableBuffer);
            big.release();
            List<ByteBuf> held = new ArrayList<>();
            for (int i = 0; i < ReadBuffers.PER_THREAD; i++) {
                held.add(ReadBuffers.take(POOLED, 2048));
                assertTrue(underlying(held.get(i)) instanceof ReadBuffers.ReusableBuffer);
            }
            ByteBuf beyond = ReadBuffers.take(POOLED, 2048);
            assertFalse("a thread makes at most PER_THREAD", underlying(beyond) instanceof ReadBuffers.ReusableBuffer);
            beyond.release();
            for (ByteBuf b : held) {
                b.release();
            }
            ByteBuf back = ReadBuffers.take(POOLED, 2048);
            assertTrue(underlying(back) instanceof ReadBuffers.ReusableBuffer);
            back.release();
        });
    }

    @Test
    public void releasedElsewhereOrGrownItIsFreed() throws Throwable {
        AtomicReference<ByteBuf> taken = new AtomicReference<>();
        AtomicReference<ReadBuffers.Shelf> shelf = new AtomicReference<>();
        onLoopThread(() -> {
            ByteBuf grown = ReadBuffers.take(POOLED, 2048);
            ReadBuffers.ReusableBuffer g = (ReadBuffers.ReusableBuffer) underlying(grown);
            grown.writeBytes(new byte[ReadBuffers.SIZE + 1]); // a decoder made it its cumulation and it grew
            int parked = g.shelf().parked();
            grown.release();
            assertEquals("a grown buffer is not kept", parked, g.shelf().parked());
            taken.set(ReadBuffers.take(POOLED, 2048));
            shelf.set(((ReadBuffers.ReusableBuffer) underlying(taken.get())).shelf());
        });
        int created = shelf.get().created.get();
        assertTrue(taken.get().release()); // on another thread: freed, not put on that loop's shelf
        assertEquals(created - 1, shelf.get().created.get());
    }

    @Test
    public void readsThroughTheHandleUseTheWrappedSizes() throws Throwable {
        onLoopThread(() -> {
            ReadBuffers reads = new ReadBuffers(new io.netty.channel.FixedRecvByteBufAllocator(ReadBuffers.SIZE * 2));
            io.netty.channel.RecvByteBufAllocator.Handle h = reads.newHandle();
            assertEquals(ReadBuffers.SIZE * 2, h.guess());
            ByteBuf b = h.allocate(POOLED); // more than a reusable buffer holds: pooled
            assertFalse(underlying(b) instanceof ReadBuffers.ReusableBuffer);
            b.release();
            ReadBuffers small = new ReadBuffers(new io.netty.channel.FixedRecvByteBufAllocator(512));
            ByteBuf s = small.newHandle().allocate(POOLED);
            assertSame(ReadBuffers.ReusableBuffer.class, underlying(s).getClass());
            s.release();
        });
    }
}
