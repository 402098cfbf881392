package dev.junction.core.proxy;

import dev.junction.api.filter.FilterResult;
import dev.junction.api.filter.LoginRequest;
import dev.junction.core.admin.AdminLogin;
import dev.junction.core.auth.Account;
import dev.junction.core.auth.AccountKey;
import dev.junction.core.auth.LoginName;
import dev.junction.core.auth.NativePassword;
import dev.junction.core.cluster.ClusterConfig;
import dev.junction.core.cluster.TenantConfig;
import dev.junction.core.protocol.Capabilities;
import dev.junction.core.protocol.ErrorCodes;
import dev.junction.core.protocol.HandshakeResponse;
import dev.junction.core.protocol.HandshakeV10;
import dev.junction.core.protocol.MalformedPacketException;
import dev.junction.core.protocol.Packet;
import dev.junction.core.protocol.PacketDecoder;
import dev.junction.core.protocol.Packets;
import dev.junction.core.protocol.ServerStatus;
import dev.junction.core.protocol.Wire;
import dev.junction.core.session.ClientSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a client in: sends the handshake, reads the response (after TLS if the client asked), switches
 * clients that open with another plugin (e.g. caching_sha2_password) to mysql_native_password, checks the
 * token against the stored hash without contacting any server, then hands the channel to the
 * {@link CommandHandler}.
 */
final class ClientAuthHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ClientAuthHandler.class);
    /** Largest packet accepted before login. */
    static final int MAX_LOGIN_PACKET = 64 * 1024;
    private static final int COLLATION_UTF8MB4_GENERAL_CI = 45;

    private enum State { AWAIT_RESPONSE, AWAIT_SWITCH_RESPONSE, DONE }

    private final ProxyContext context;
    private final PacketDecoder decoder;
    private ClientSession session;
    private State state = State.AWAIT_RESPONSE;
    private int expectedSeq = 1;
    private byte[] scramble;
    private HandshakeResponse response;
    private LoginTarget target;
    private boolean tls;
    private ScheduledFuture<?> loginTimer;
    /** The MariaDB extended capabilities the greeting offered (the config may change before the client answers). */
    private int offeredMariadbCaps;

    ClientAuthHandler(ProxyContext context, PacketDecoder decoder) {
        this.context = context;
        this.decoder = decoder;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        session = new ClientSession(context.sessions().newId(), ctx.channel(), context.serverTimeouts());
        if (context.sessions().size() >= context.config().maxClientConnections()) {
            refuse(ctx, 0, ErrorCodes.TOO_MANY_CONNECTIONS, "08004", "Too many connections");
            return;
        }
        context.sessions().add(session);
        session.activity("Connect", null, null);
        scramble = NativePassword.newScramble();
        int caps = Capabilities.OFFERED_TO_CLIENTS | (context.sslContext() != null ? Capabilities.SSL : 0);
        int mariadbCaps = 0;
        if (context.config().offersMariadbCapabilities()) {
            // a clear CLIENT_MYSQL bit tells clients that the extended (MariaDB) capabilities follow
            caps &= ~Capabilities.CLIENT_MYSQL;
            mariadbCaps = Capabilities.MARIADB_OFFERED_TO_CLIENTS;
        }
        offeredMariadbCaps = mariadbCaps;
        HandshakeV10 hs = new HandshakeV10(context.config().serverVersion(), session.id(), scramble, caps, mariadbCaps,
                COLLATION_UTF8MB4_GENERAL_CI, ServerStatus.AUTOCOMMIT, NativePassword.PLUGIN);
        Packets.write(ctx.channel(), 0, hs.encode(ctx.alloc()));
        ctx.flush();
        loginTimer = ctx.executor().schedule(() -> {
            if (state != State.DONE && ctx.channel().isActive()) {
                refuse(ctx, expectedSeq, ErrorCodes.HANDSHAKE_ERROR, "08S01", "Junction: login did not complete within "
                        + context.config().loginTimeoutMillis() + " ms");
            }
        }, context.config().loginTimeoutMillis(), TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == TlsNegotiator.STARTED) {
            tls = true;
            expectedSeq = 2;
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Packet)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        Packet p = (Packet) msg;
        try {
            if (state == State.DONE) {
                // pipelined after the login response: let the command handler have it
                ctx.fireChannelRead(p.retain());
                return;
            }
            if (p.seq() != expectedSeq) {
                refuse(ctx, p.nextSeq(), ErrorCodes.NET_PACKETS_OUT_OF_ORDER, "08S01", "Got packets out of order");
                return;
            }
            if (state == State.AWAIT_RESPONSE) {
                onResponse(ctx, p);
            } else {
                finish(ctx, ByteBufUtil.getBytes(p.payload()), p.nextSeq());
            }
        } catch (MalformedPacketException e) {
            refuse(ctx, p.nextSeq(), ErrorCodes.HANDSHAKE_ERROR, "08S01", "Bad handshake: " + e.getMessage());
        } finally {
            p.release();
        }
    }

    private void onResponse(ChannelHandlerContext ctx, Packet p) {
        ByteBuf payload = p.payload();
        if (payload.readableBytes() == HandshakeResponse.SSL_REQUEST_LENGTH) {
            refuse(ctx, p.nextSeq(), ErrorCodes.HANDSHAKE_ERROR, "08S01", context.sslContext() == null
                    ? "Junction has no TLS certificate configured" : "Bad handshake: TLS request in the wrong place");
            return;
        }
        response = HandshakeResponse.decode(payload);
        LoginName given = LoginName.parse(response.user());
        if (AdminLogin.TENANT.equalsIgnoreCase(given.tenant())) {
            adminLogin(ctx, p, given);
            return;
        }
        LoginName name = given.withDefaults(context.config().defaultTenant(),
                context.config().defaultCluster());
        String problem = null;
        ClusterConfig cluster = context.clusters().find(name.cluster());
        TenantConfig tenant = null;
        if (name.cluster() == null) {
            problem = "the user name names no cluster and no default_cluster is configured";
        } else if (cluster == null) {
            problem = "unknown cluster '" + name.cluster() + "'";
        } else if (name.clusterId() != null && !name.clusterId().equals(Long.toString(cluster.id()))) {
            problem = "cluster '" + name.cluster() + "' has id " + cluster.id() + ", not " + name.clusterId();
        } else if (name.tenant() == null) {
            problem = "the user name names no tenant and no default_tenant is configured";
        } else if ((tenant = context.clusters().tenant(cluster, name.tenant())) == null) {
            problem = "unknown tenant '" + name.tenant() + "' in cluster '" + cluster.name() + "'";
        }
        if (problem != null) {
            refuse(ctx, p.nextSeq(), ErrorCodes.ACCESS_DENIED, "28000", "Access denied for user '" + response.user()
                    + "': " + problem);
            return;
        }
        Account account = context.accounts().find(new AccountKey(name.user(), tenant.name(), cluster.name()));
        target = new LoginTarget(account, tenant, name.user());
        authenticate(ctx, p);
    }

    /**
     * {@code root@proxysys}: the admin face, checked against the hash in etc/dev.junction.admin.cfg (no hash: admin
     * SQL disabled), loopback clients only unless allow_remote. Never reaches a server.
     */
    private void adminLogin(ChannelHandlerContext ctx, Packet p, LoginName name) {
        AdminLogin admin = context.admin();
        byte[] hash = admin == null ? null : admin.passwordHash();
        java.net.InetSocketAddress from = (java.net.InetSocketAddress) ctx.channel().remoteAddress();
        String problem = null;
        if (hash == null) {
            problem = "admin SQL is disabled (no password hash in etc/dev.junction.admin.cfg)";
        } else if (!admin.allowRemote() && !from.getAddress().isLoopbackAddress()) {
            problem = "root@proxysys may log in from the local machine only (allow_remote = false)";
        } else if (!AdminLogin.USER.equals(name.user())) {
            problem = "only root may log in to proxysys";
        }
        if (problem != null) {
            refuse(ctx, p.nextSeq(), ErrorCodes.ACCESS_DENIED, "28000", "Access denied for user '" + response.user()
                    + "': " + problem);
            return;
        }
        target = new LoginTarget(new Account(AdminLogin.USER, AdminLogin.TENANT, "", hash), null, AdminLogin.USER);
        authenticate(ctx, p);
    }

    private void authenticate(ChannelHandlerContext ctx, Packet p) {
        byte[] token = response.authResponse();
        boolean nativeToken = (response.authPlugin() == null || NativePassword.PLUGIN.equals(response.authPlugin()))
                && (token.length == 0 || token.length == NativePassword.SCRAMBLE_LENGTH);
        if (nativeToken) {
            finish(ctx, token, p.nextSeq());
        } else {
            scramble = NativePassword.newScramble();
            ByteBuf sw = ctx.alloc().buffer(64).writeByte(0xfe);
            Wire.writeNulString(sw, NativePassword.PLUGIN);
            sw.writeBytes(scramble).writeByte(0);
            Packets.write(ctx.channel(), p.nextSeq(), sw);
            ctx.flush();
            expectedSeq = (p.nextSeq() + 1) & 0xff;
            state = State.AWAIT_SWITCH_RESPONSE;
        }
    }

    private void finish(ChannelHandlerContext ctx, byte[] token, int seq) {
        Account account = target.account();
        byte[] stage1 = account == null ? null : NativePassword.verify(account.stage2(), scramble, token);
        if (stage1 == null) {
            String host = ((java.net.InetSocketAddress) ctx.channel().remoteAddress()).getAddress().getHostAddress();
            refuse(ctx, seq, ErrorCodes.ACCESS_DENIED, "28000", "Access denied for user '" + target.user() + "'@'" + host
                    + "' (using password: " + (token.length > 0 ? "YES" : "NO") + ")");
            return;
        }
        if (target.tenant() == null) {
            adminReady(ctx, account, stage1, seq);
            return;
        }
        FilterResult filtered = context.routing().login(new LoginRequest(account.user(), target.tenant().name(),
                target.tenant().cluster(), (java.net.InetSocketAddress) ctx.channel().remoteAddress()));
        if (filtered.action() == FilterResult.Action.REJECT) {
            refuse(ctx, seq, filtered.errorCode(), filtered.sqlState(), filtered.message());
            return;
        }
        state = State.DONE;
        loginTimer.cancel(false);
        session.login(account, stage1, target.tenant(), response.capabilities(), response.collation(),
                response.database());
        session.cachesMetadata(clientCachesMetadata());
        session.activity("Sleep", null, null);
        decoder.maxPacketSize(context.config().maxPacketSize());
        Packets.write(ctx.channel(), seq, Packets.ok(ctx.alloc(), 0, 0, ServerStatus.AUTOCOMMIT, 0));
        ctx.flush();
        CommandHandler commands = new CommandHandler(context, session, scramble);
        ctx.pipeline().replace(this, "commands", commands);
        LOG.debug("Session {} logged in as {}{}", session.id(), account.key(), tls ? " over TLS" : "");
    }

    private void adminReady(ChannelHandlerContext ctx, Account account, byte[] stage1, int seq) {
        state = State.DONE;
        loginTimer.cancel(false);
        session.login(account, stage1, null, response.capabilities(), response.collation(), null);
        session.cachesMetadata(clientCachesMetadata());
        session.activity("Sleep", null, null);
        Packets.write(ctx.channel(), seq, Packets.ok(ctx.alloc(), 0, 0, ServerStatus.AUTOCOMMIT, 0));
        ctx.flush();
        ctx.pipeline().replace(this, "admin", context.admin().sqlHandler(session, context.sessions()));
        LOG.info("Admin session {} logged in from {}", session.id(), ctx.channel().remoteAddress());
    }

    /** Whether the client took the metadata caching the greeting offered. */
    private boolean clientCachesMetadata() {
        return (response.mariadbCapabilities() & offeredMariadbCaps & Capabilities.MARIADB_CACHE_METADATA) != 0;
    }

    private void refuse(ChannelHandlerContext ctx, int seq, int code, String state, String message) {
        this.state = State.DONE;
        if (loginTimer != null) {
            loginTimer.cancel(false);
        }
        LOG.debug("Refusing client {}: {}", ctx.channel().remoteAddress(), message);
        Packets.write(ctx.channel(), seq, Packets.err(ctx.alloc(), code, state, message));
        ctx.writeAndFlush(ctx.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (loginTimer != null) {
            loginTimer.cancel(false);
        }
        if (session != null) {
            context.sessions().remove(session);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ClientErrors.report(ctx, cause, expectedSeq);
    }

    /** Who is logging in: the account (null when unknown) and the tenant. */
    private record LoginTarget(Account account, TenantConfig tenant, String user) {
    }
}
