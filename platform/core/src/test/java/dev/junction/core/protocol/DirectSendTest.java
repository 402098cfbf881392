package dev.junction.core.protocol;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import dev.junction.core.it.LeakRecorder;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** Direct sends on real loopback sockets: what one send cannot take is queued behind, in order, nothing leaks. */
public class DirectSendTest {

    static {
        LeakRecorder.install(); // before any buffer class initialises
    }

    private EventLoopGroup group;
    private Channel server;
    private Channel sender;
    private Channel receiver;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final BlockingQueue<Integer> progress = new LinkedBlockingQueue<>();

    @Before
    public void connect() throws Exception {
        assumeTrue("needs the native epoll transport", Epoll.isAvailable());
        group = new EpollEventLoopGroup(1);
        CompletableFuture<Channel> accepted = new CompletableFuture<>();
        server = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false) // the receiver reads only when the test says so
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ByteBuf b = (ByteBuf) msg;
                                synchronized (received) {
                                    byte[] bytes = new byte[b.readableBytes()];
                                    b.readBytes(bytes);
                                    received.write(bytes, 0, bytes.length);
                                    progress.add(received.size());
                                }
                                b.release();
                            }
                        });
                        accepted.complete(ch);
                    }
                }).bind("127.0.0.1", 0).sync().channel();
        sender = new Bootstrap().group(group).channel(EpollSocketChannel.class)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(server.localAddress()).sync().channel();
        receiver = accepted.get(10, TimeUnit.SECONDS);
    }

    @After
    public void close() throws Exception {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
        assertEquals("buffer leaks", List.of(), LeakRecorder.collect());
    }

    @Test
    public void aPlainEpollSocketIsEligibleOneWithAnOutboundHandlerIsNot() throws Exception {
        assertTrue(DirectSend.eligible(sender));
        sender.pipeline().addFirst("outbound", new ChannelOutboundHandlerAdapter());
        assertFalse("an outbound handler (TLS, say) must see every byte", DirectSend.eligible(sender));
    }

    @Test
    public void whatASendCannotTakeIsQueuedBehindAndEveryByteArrivesInOrder() throws Exception {
        int chunk = 1 << 20;
        int chunks = 8; // far more than the loopback socket buffers hold while nobody reads
        byte[] expected = new byte[chunk * (chunks + 1)];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (byte) (i * 31 + i / 7);
        }
        long[] direct = new long[1];
        sender.eventLoop().submit(() -> {
            for (int c = 0; c < chunks; c++) {
                ByteBuf b = sender.alloc().directBuffer(chunk).writeBytes(expected, c * chunk, chunk);
                DirectSend.write(sender, b, true);
                // (still referenced: the rest of it waits, unflushed, in the outbound buffer)
                direct[0] += b.refCnt() == 0 ? chunk : chunk - b.readableBytes();
            }
        }).sync();
        assertTrue("some bytes went out directly", direct[0] > 0);
        assertTrue("what the socket could not take was queued", direct[0] < (long) chunk * chunks);

        // the receiver drains what went out, so the socket could take more while the queue still holds bytes
        receiver.config().setAutoRead(true);
        awaitReceived(direct[0]);
        sender.eventLoop().submit(() -> {
            assertTrue(DirectSend.needsFlush(sender, true));
            DirectSend.write(sender, sender.alloc().directBuffer(chunk).writeBytes(expected, chunks * chunk, chunk), true);
            sender.flush();
        }).sync();
        awaitReceived(expected.length);
        synchronized (received) {
            assertArrayEquals("bytes out of order", expected, received.toByteArray());
        }
        sender.eventLoop().submit(() -> assertFalse(DirectSend.needsFlush(sender, true))).sync();
    }

    private void awaitReceived(long bytes) throws InterruptedException {
        while (true) {
            synchronized (received) {
                if (received.size() >= bytes) {
                    return;
                }
            }
            assertTrue("the receiver stalled", progress.poll(10, TimeUnit.SECONDS) != null);
        }
    }

    @Test
    public void aClosedChannelTakesTheBufferAndReleasesIt() throws Exception {
        sender.close().sync();
        ByteBuf b = sender.alloc().directBuffer(16).writeLong(42).writeLong(43);
        sender.eventLoop().submit(() -> DirectSend.write(sender, b, true)).sync();
        assertEquals(0, b.refCnt());
    }
}
