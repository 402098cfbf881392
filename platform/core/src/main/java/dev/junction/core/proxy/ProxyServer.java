package dev.junction.core.proxy;

import dev.junction.core.admin.AdminLogin;
import dev.junction.core.auth.AccountStore;
import dev.junction.core.cluster.ClusterRegistry;
import dev.junction.core.net.ReadBuffers;
import dev.junction.core.net.Transport;
import dev.junction.core.protocol.PacketDecoder;
import dev.junction.core.routing.RoutingPipeline;
import dev.junction.core.routing.RoutingServices;
import dev.junction.core.session.CoarseClock;
import dev.junction.core.session.SessionRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.File;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The client-facing MySQL listener. One boss thread accepts; worker event loops each own a set of
 * client connections and their server connections.
 */
public final class ProxyServer implements AutoCloseable {

    /** Client reads: Netty's adaptive sizes, into buffers that return to the event loop (see ReadBuffers). */
    private static final ReadBuffers COMMAND_READS = new ReadBuffers(new AdaptiveRecvByteBufAllocator());

    private final ProxyConfig config;
    private final ClusterRegistry clusters;
    private final AccountStore accounts;
    private final SessionRegistry sessions = new SessionRegistry();
    private final RoutingPipeline routing;
    private final AdminLogin admin;
    private Transport transport;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel listener;
    private CoarseClock.Ticking clock;

    /** Without SPI services and without the admin face. */
    public ProxyServer(ProxyConfig config, ClusterRegistry clusters, AccountStore accounts) {
        this(config, clusters, accounts, new RoutingPipeline(new RoutingServices()), null);
    }

    /**
     * @param routing the routing pipeline statements go through
     * @param admin the {@code root@proxysys} admin face, or null for none
     */
    public ProxyServer(ProxyConfig config, ClusterRegistry clusters, AccountStore accounts, RoutingPipeline routing,
            AdminLogin admin) {
        this.config = config;
        this.clusters = clusters;
        this.accounts = accounts;
        this.routing = routing;
        this.admin = admin;
    }

    /** Binds the listen port; throws when it cannot (or when the TLS files cannot be used). */
    public InetSocketAddress start() throws InterruptedException, SSLException {
        SslContext ssl = config.tlsEnabled()
                ? SslContextBuilder.forServer(new File(config.tlsCert()), new File(config.tlsKey()))
                        .sslProvider(SslProvider.JDK).build()
                : null;
        ProxyContext context = new ProxyContext(config, clusters, accounts, sessions, routing, ssl, routing, admin);
        transport = Transport.choose(config.nativeTransport());
        boss = transport.group(1, new DefaultThreadFactory("junction-accept", true));
        clock = CoarseClock.tickOn(boss.next()); // the accept loop has time to spare
        int loops = config.workerThreads() > 0 ? config.workerThreads() : Runtime.getRuntime().availableProcessors();
        workers = transport.group(loops, new DefaultThreadFactory("junction-io", true));
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, COMMAND_READS)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (ssl != null) {
                            ch.pipeline().addLast("tls-negotiator", new TlsNegotiator(ssl));
                        }
                        PacketDecoder decoder = new PacketDecoder(ClientAuthHandler.MAX_LOGIN_PACKET);
                        ch.pipeline().addLast("packets", decoder);
                        ch.pipeline().addLast("auth", new ClientAuthHandler(context, decoder));
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

    /** The transport carrying the sockets (known once started). */
    public Transport transport() {
        return transport;
    }

    /** Live client sessions (for administration and tests). */
    public SessionRegistry sessions() {
        return sessions;
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        if (clock != null) {
            clock.close();
            clock = null;
        }
        if (boss != null) {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
        if (workers != null) {
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
    }
}
