package dev.junction.core.net;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledUnsafeDirectByteBuf;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Read buffers that go back to the event loop that read into them. A proxy's reads mostly hand their buffer on
 * and are done with it before the next read (a command forwarded, a response relayed), so a few buffers per event
 * loop serve every read, warm in the cache, without a trip through the pooled allocator (thread cache, recycler,
 * pinned-memory counter) per read. Reads guessed larger than {@link #SIZE}, reads while all of a loop's buffers
 * are held, and reads off event-loop threads get pooled buffers as before. How much to read is still decided by
 * the wrapped allocator's handle.
 */
public final class ReadBuffers implements RecvByteBufAllocator {

    /** Capacity of a reusable read buffer. */
    static final int SIZE = 16384;
    /** Reusable buffers one thread creates at most (16 kB each); beyond, pooled buffers. */
    static final int PER_THREAD = 8;

    private static final FastThreadLocal<Shelf> SHELVES = new FastThreadLocal<>() {
        @Override
        protected Shelf initialValue() {
            return new Shelf(Thread.currentThread());
        }
    };

    private final RecvByteBufAllocator sizes;

    /** @param sizes decides how much each read asks for (and whether to read again) */
    public ReadBuffers(RecvByteBufAllocator sizes) {
        this.sizes = sizes;
    }

    @Override
    public Handle newHandle() {
        return new ReusingHandle((ExtendedHandle) sizes.newHandle());
    }

    /** A buffer for a read of about {@code guess} bytes: a reusable one when this thread has one to give. */
    static ByteBuf take(ByteBufAllocator alloc, int guess) {
        if (guess > SIZE || !(Thread.currentThread() instanceof FastThreadLocalThread)) {
            return alloc.ioBuffer(guess);
        }
        Shelf shelf = SHELVES.get();
        ReusableBuffer b = shelf.take();
        if (b == null) {
            if (shelf.created.get() >= PER_THREAD) {
                return alloc.ioBuffer(guess);
            }
            shelf.created.incrementAndGet();
            b = new ReusableBuffer(shelf);
        }
        return LeakTracking.wrap(b);
    }

    /** Buffers one thread keeps for its next reads. Touched by that thread only, but for {@link #created}. */
    static final class Shelf {
        final Thread owner;
        final AtomicInteger created = new AtomicInteger();
        private final ReusableBuffer[] parked = new ReusableBuffer[PER_THREAD];
        private int count;

        Shelf(Thread owner) {
            this.owner = owner;
        }

        ReusableBuffer take() {
            if (count == 0) {
                return null;
            }
            ReusableBuffer b = parked[--count];
            parked[count] = null;
            return b;
        }

        boolean hasRoom() {
            return Thread.currentThread() == owner && count < parked.length;
        }

        void park(ReusableBuffer b) {
            parked[count++] = b;
        }

        /** Buffers parked now (for tests). */
        int parked() {
            return count;
        }
    }

    /** A 16 kB direct buffer that, released on its thread, waits on the shelf instead of being freed. */
    static final class ReusableBuffer extends UnpooledUnsafeDirectByteBuf {
        private final Shelf shelf;

        ReusableBuffer(Shelf shelf) {
            super(PooledByteBufAllocator.DEFAULT, SIZE, Integer.MAX_VALUE);
            this.shelf = shelf;
        }

        Shelf shelf() {
            return shelf;
        }

        @Override
        protected void deallocate() {
            if (capacity() == SIZE && shelf.hasRoom()) {
                // back to one reference and empty, as a new buffer (nobody holds it: its count reached 0)
                resetRefCnt();
                clear();
                shelf.park(this);
                return;
            }
            shelf.created.decrementAndGet();
            super.deallocate();
        }
    }

    /** Netty's leak detection for the buffers handed out (it samples, or tracks all in tests). */
    private static final class LeakTracking extends AbstractByteBufAllocator {
        static ByteBuf wrap(ByteBuf b) {
            return toLeakAwareBuffer(b);
        }

        private LeakTracking() {
            super(true);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            throw new UnsupportedOperationException();
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isDirectBufferPooled() {
            return true;
        }
    }

    /** The wrapped allocator's handle, but for where the bytes go. */
    private static final class ReusingHandle extends DelegatingHandle implements ExtendedHandle {

        ReusingHandle(ExtendedHandle sizes) {
            super(sizes);
        }

        @Override
        public ByteBuf allocate(ByteBufAllocator alloc) {
            return take(alloc, guess());
        }

        @Override
        public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
            return ((ExtendedHandle) delegate()).continueReading(maybeMoreDataSupplier);
        }
    }
}
