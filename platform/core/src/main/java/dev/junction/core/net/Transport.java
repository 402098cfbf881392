package dev.junction.core.net;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoop;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which Netty transport carries the sockets: Linux native epoll when its library loads (fewer system calls and
 * no selector bookkeeping per read), else the JDK's NIO. Client and server connections of one event loop must
 * use the same kind, so server connections ask {@link #socketChannel(EventLoop)} for the loop they run on.
 */
public enum Transport {
    EPOLL, NIO;

    private static final Logger LOG = LoggerFactory.getLogger(Transport.class);

    /** The transport to use: epoll if wanted and available, else NIO (logged once per choice). */
    public static Transport choose(boolean nativeWanted) {
        if (nativeWanted) {
            try {
                if (Epoll.isAvailable()) {
                    LOG.info("Using the native epoll transport");
                    return EPOLL;
                }
                LOG.info("Native epoll transport unavailable ({}); using NIO", Epoll.unavailabilityCause().toString());
            } catch (LinkageError e) {
                LOG.info("Native epoll transport unavailable ({}); using NIO", e.toString());
            }
        }
        return NIO;
    }

    /**
     * The loops run all their queued tasks after each I/O batch (I/O ratio 100): Junction's tasks are short (timers,
     * hand-offs from admin threads), and timing the I/O share costs two clock reads per loop turn on the hot path.
     */
    public EventLoopGroup group(int threads, ThreadFactory factory) {
        if (this == EPOLL) {
            EpollEventLoopGroup g = new EpollEventLoopGroup(threads, factory);
            g.setIoRatio(100);
            return g;
        }
        NioEventLoopGroup g = new NioEventLoopGroup(threads, factory);
        g.setIoRatio(100);
        return g;
    }

    public Class<? extends ServerChannel> serverChannel() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** The socket channel class for connections made on {@code loop}. */
    public static Class<? extends SocketChannel> socketChannel(EventLoop loop) {
        return isEpoll(loop) ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    private static boolean isEpoll(EventLoop loop) {
        try {
            return loop instanceof EpollEventLoop;
        } catch (LinkageError e) {
            return false;
        }
    }
}
