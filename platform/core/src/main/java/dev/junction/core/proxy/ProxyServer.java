package dev.junction.core.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The client-facing MySQL listener. One boss thread accepts; worker event loops each own a set of
 * client connections and, later, their server connections.
 */
public final class ProxyServer implements AutoCloseable {

    private final ProxyConfig config;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel listener;

    public ProxyServer(ProxyConfig config) {
        this.config = config;
    }

    /** Binds the listen port; throws when it cannot. */
    public InetSocketAddress start() throws InterruptedException {
        boss = new NioEventLoopGroup(1, new DefaultThreadFactory("junction-accept", true));
        workers = new NioEventLoopGroup(config.workerThreads(), new DefaultThreadFactory("junction-io", true));
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new NotReadyHandler());
                    }
                });
        try {
            listener = b.bind(config.listenHost(), config.listenPort()).sync().channel();
        } catch (Exception e) {
            close();
            throw e;
        }
        return (InetSocketAddress) listener.localAddress();
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        if (boss != null) {
            boss.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS);
        }
        if (workers != null) {
            workers.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /** Answers every connection with a MySQL error packet until the protocol engine is in place. */
    private static final class NotReadyHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            byte[] msg = "Junction: the MySQL protocol engine is not part of this build".getBytes(StandardCharsets.UTF_8);
            int len = 1 + 2 + 1 + 5 + msg.length;
            var buf = ctx.alloc().buffer(4 + len);
            buf.writeMediumLE(len).writeByte(0);
            buf.writeByte(0xff).writeShortLE(1105).writeByte('#').writeBytes("HY000".getBytes(StandardCharsets.US_ASCII)).writeBytes(msg);
            ctx.writeAndFlush(buf).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
