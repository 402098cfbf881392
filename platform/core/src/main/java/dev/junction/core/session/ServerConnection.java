package dev.junction.core.session;

import dev.junction.api.topology.ServerAddress;
import dev.junction.core.auth.NativePassword;
import dev.junction.core.net.ReadBuffers;
import dev.junction.core.protocol.Capabilities;
import dev.junction.core.protocol.DirectSend;
import dev.junction.core.protocol.FrameRunDecoder;
import dev.junction.core.protocol.HandshakeResponse;
import dev.junction.core.protocol.HandshakeV10;
import dev.junction.core.protocol.MysqlError;
import dev.junction.core.protocol.Packet;
import dev.junction.core.protocol.Packets;
import dev.junction.core.protocol.ResponseTracker;
import dev.junction.core.protocol.ServerErrorException;
import dev.junction.core.protocol.Wire;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One TCP connection from Junction to a database server, owned by one client session and living on that
 * client's event loop. Logs in with mysql_native_password from stage1, then runs one command at a time,
 * handing each response frame to the command's {@link ResponseHandler}. Also remembers what has been
 * brought up to date on this server for the session (database, variables, prepared statements).
 */
public final class ServerConnection {

    /**
     * Reads of 16 kB and up, like HAProxy's buffers: a result set of a hundred rows arrives in one read (one
     * system call, one buffer relayed to the client), where Netty's default (2 kB first) took several.
     */
    private static final ReadBuffers RESPONSE_READS = new ReadBuffers(new AdaptiveRecvByteBufAllocator(16384, 16384,
            65536));

    private enum State { NEW, CONNECTING, AUTHENTICATING, READY, BUSY, CLOSED }

    private final ServerAddress address;
    private final EventLoop loop;
    private final ServerLogin login;
    private final ServerTimeouts timeouts;
    private final ServerConnectionListener listener;

    private State state = State.NEW;
    private Channel channel;
    /** Whether commands may be sent past the outbound buffer (see {@link DirectSend}); decided at login. */
    private boolean directSend;
    /** Whether this connection negotiated MariaDB's metadata caching (column counts carry a metadata-follows byte). */
    private boolean cachesMetadata;
    private long threadId;
    private int authSeq;
    private final List<Consumer<Throwable>> readyWaiters = new ArrayList<>();
    private ResponseTracker tracker;
    private ResponseHandler handler;
    private ScheduledFuture<?> timer;
    /** When a command was last sent or response bytes last read (coarse clock: no clock read per statement). */
    private long lastActiveMillis;
    private Throwable closeCause;

    // What this server already has of the session's state.
    String database;
    final Map<String, Long> appliedVariables = new HashMap<>();
    boolean multiStatementsOff;
    /** The session variables' stamp at which this server lacked none of them (-1: not known). */
    long variablesStamp = -1;

    public ServerConnection(ServerAddress address, EventLoop loop, ServerLogin login, ServerTimeouts timeouts,
            ServerConnectionListener listener) {
        this.address = address;
        this.loop = loop;
        this.login = login;
        this.timeouts = timeouts;
        this.listener = listener;
        this.database = login.database();
    }

    public ServerAddress address() {
        return address;
    }

    public ServerLogin login() {
        return login;
    }

    /** The server's id for this connection (what KILL on the server takes). */
    public long threadId() {
        return threadId;
    }

    public boolean isClosed() {
        return state == State.CLOSED;
    }

    /** Whether the server leaves out column definitions the client has (MariaDB's metadata caching). */
    public boolean cachesMetadata() {
        return cachesMetadata;
    }

    public boolean isReady() {
        return state == State.READY;
    }

    public boolean isBusy() {
        return state == State.BUSY;
    }

    public Channel channel() {
        return channel;
    }

    /** The tracker of the command in progress, or null. */
    public ResponseTracker tracker() {
        return tracker;
    }

    /** Calls {@code ready} with null once logged in (connecting first if needed), or with the failure. */
    public void whenReady(Consumer<Throwable> ready) {
        switch (state) {
            case READY:
                ready.accept(null);
                return;
            case CLOSED:
                ready.accept(closeCause != null ? closeCause : new IOException("connection to " + address + " is closed"));
                return;
            case BUSY:
                ready.accept(new IllegalStateException("connection to " + address + " is busy"));
                return;
            case NEW:
                readyWaiters.add(ready);
                connect();
                return;
            default:
                readyWaiters.add(ready);
        }
    }

    private void connect() {
        state = State.CONNECTING;
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(dev.junction.core.net.Transport.socketChannel(loop))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeouts.connectMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.RCVBUF_ALLOCATOR, RESPONSE_READS)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("frames", new FrameRunDecoder());
                        ch.pipeline().addLast("server", new Handler());
                    }
                });
        ChannelFuture f = b.connect(address.host(), address.port());
        channel = f.channel();
        timer = loop.schedule(() -> {
            if (state == State.CONNECTING || state == State.AUTHENTICATING) {
                fail(new ServerTimeoutException("no login to " + address + " within " + timeouts.connectMillis() + " ms"));
            }
        }, timeouts.connectMillis(), TimeUnit.MILLISECONDS);
        f.addListener(done -> {
            if (!done.isSuccess()) {
                fail(new IOException("cannot connect to " + address + ": " + done.cause().getMessage(), done.cause()));
            } else if (state == State.CONNECTING) {
                state = State.AUTHENTICATING;
            }
        });
    }

    /**
     * Sends one command (payload starting with the command byte, framed from sequence id 0) and routes the
     * response to {@code h}. Takes ownership of {@code payload}. The connection must be ready.
     */
    public void send(ByteBuf payload, ResponseTracker.Kind kind, ResponseHandler h) {
        if (state != State.READY) {
            ReferenceCountUtil.release(payload);
            h.onFailure(this, closeCause != null ? closeCause : new IOException("connection to " + address + " is not ready"));
            return;
        }
        state = State.BUSY;
        tracker = new ResponseTracker(kind, cachesMetadata, login.clientCachesMetadata());
        handler = h;
        lastActiveMillis = CoarseClock.millis();
        if (timer == null) {
            armSilenceTimer(timeouts.silenceMillis());
        }
        Packets.writeAndFlush(channel, 0, payload, directSend);
    }

    /** Sends a command that has no response (COM_STMT_CLOSE, COM_STMT_SEND_LONG_DATA). Takes ownership. */
    public void sendWithoutResponse(ByteBuf payload) {
        if (state != State.READY) {
            ReferenceCountUtil.release(payload);
            return;
        }
        Packets.write(channel, 0, payload);
        channel.flush();
    }

    /** Passes a client packet on unchanged (file content during LOAD DATA LOCAL). Takes ownership. */
    public void forward(Packet p) {
        if (state != State.BUSY) {
            p.release();
            return;
        }
        lastActiveMillis = CoarseClock.millis();
        Packets.write(channel, p.seq(), p.payload());
    }

    public void flush() {
        if (channel != null) {
            channel.flush();
        }
    }

    /** Stops or resumes reading from the server (back-pressure from a slow client). */
    public void autoRead(boolean on) {
        if (channel != null && state != State.CLOSED) {
            channel.config().setAutoRead(on);
            if (on) {
                lastActiveMillis = CoarseClock.millis();
            }
        }
    }

    /** Why the connection closed, or null while it is open. */
    public Throwable closeCause() {
        return closeCause;
    }

    /** Closes the connection; a command in progress gets {@code onFailure}. */
    public void close(Throwable cause) {
        if (state == State.CLOSED) {
            return;
        }
        fail(cause == null ? new IOException("connection to " + address + " closed by Junction") : cause);
    }

    private void fail(Throwable cause) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        closeCause = cause;
        if (timer != null) {
            timer.cancel(false);
        }
        if (channel != null) {
            channel.close();
        }
        List<Consumer<Throwable>> waiters = new ArrayList<>(readyWaiters);
        readyWaiters.clear();
        for (Consumer<Throwable> w : waiters) {
            w.accept(cause);
        }
        ResponseHandler h = handler;
        handler = null;
        if (h != null) {
            h.onFailure(this, cause);
        }
        listener.closed(this);
    }

    private void armSilenceTimer(long delayMillis) {
        if (timeouts.silenceMillis() <= 0) {
            return;
        }
        timer = loop.schedule(this::checkSilence, Math.max(1, delayMillis), TimeUnit.MILLISECONDS);
    }

    /**
     * The silence timer is armed when a command is sent and no timer is pending, and is not cancelled when the
     * response completes: when it fires it checks the command in progress (if any) and re-arms itself for the
     * time that command may still stay silent. So a statement costs no timer work. Paused reading (a slow
     * client, a LOAD DATA file on its way) is not silence.
     */
    private void checkSilence() {
        timer = null;
        if (state != State.BUSY) {
            return;
        }
        boolean paused = !channel.config().isAutoRead() || (tracker != null && tracker.awaitingLocalInfile());
        long now = CoarseClock.millis();
        long silent = now - lastActiveMillis;
        if (paused) {
            lastActiveMillis = now;
            armSilenceTimer(timeouts.silenceMillis());
        } else if (silent >= timeouts.silenceMillis()) {
            fail(new ServerTimeoutException("server " + address + " sent nothing for " + silent
                    + " ms; Junction closed that connection"));
        } else {
            armSilenceTimer(timeouts.silenceMillis() - silent);
        }
    }

    private void loggedIn() {
        state = State.READY;
        directSend = DirectSend.eligible(channel);
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        List<Consumer<Throwable>> waiters = new ArrayList<>(readyWaiters);
        readyWaiters.clear();
        for (Consumer<Throwable> w : waiters) {
            w.accept(null);
        }
    }

    private void onHandshake(ByteBuf payload) {
        HandshakeV10 hs = HandshakeV10.decode(payload);
        threadId = hs.connectionId();
        if ((hs.capabilities() & Capabilities.PROTOCOL_41) == 0) {
            throw new IllegalStateException("server " + address + " does not speak protocol 4.1");
        }
        int caps = Capabilities.ALWAYS_TO_SERVERS | (login.clientCapabilities() & Capabilities.MIRRORED_TO_SERVERS);
        if (login.database() != null) {
            caps |= Capabilities.CONNECT_WITH_DB;
        }
        caps &= hs.capabilities() | Capabilities.LONG_PASSWORD;
        int mariadbCaps = 0;
        if (login.clientCachesMetadata() && (hs.mariadbCapabilities() & Capabilities.MARIADB_CACHE_METADATA) != 0) {
            // the client caches metadata and so can this server: a clear CLIENT_MYSQL bit asks for it
            caps &= ~Capabilities.CLIENT_MYSQL;
            mariadbCaps = Capabilities.MARIADB_CACHE_METADATA;
        }
        cachesMetadata = mariadbCaps != 0;
        byte[] token = NativePassword.token(login.stage1(), scrambleOf(hs.scramble()));
        HandshakeResponse r = new HandshakeResponse(caps, mariadbCaps, 1 << 30, login.collation(), login.user(), token,
                login.database(), NativePassword.PLUGIN);
        authSeq = 1;
        Packets.write(channel, authSeq++, r.encode(channel.alloc()));
        channel.flush();
    }

    private static byte[] scrambleOf(byte[] s) {
        return s.length > NativePassword.SCRAMBLE_LENGTH ? java.util.Arrays.copyOf(s, NativePassword.SCRAMBLE_LENGTH) : s;
    }

    private void onAuthResult(ByteBuf payload, int seq) {
        int head = payload.isReadable() ? payload.getUnsignedByte(payload.readerIndex()) : -1;
        if (head == 0x00) {
            loggedIn();
        } else if (head == 0xff) {
            throw new ServerErrorException(MysqlError.parse(payload));
        } else if (head == 0xfe) {
            ByteBuf in = payload.duplicate().skipBytes(1);
            String plugin = Wire.readNulOrEofString(in, StandardCharsets.UTF_8);
            if (!NativePassword.PLUGIN.equals(plugin)) {
                throw new ServerErrorException(new MysqlError(1251, "08004", "server " + address
                        + " asks for authentication plugin " + plugin + "; Junction supports mysql_native_password only"));
            }
            byte[] scramble = new byte[Math.min(NativePassword.SCRAMBLE_LENGTH, in.readableBytes())];
            in.readBytes(scramble);
            Packets.write(channel, (seq + 1) & 0xff, channel.alloc().buffer(20).writeBytes(
                    NativePassword.token(login.stage1(), scramble)));
            channel.flush();
        } else {
            throw new ServerErrorException(new MysqlError(1251, "08004", "server " + address
                    + " requires an authentication method Junction does not support"));
        }
    }

    /**
     * Complete frames from one read while a command runs: each goes through the tracker and the handler's
     * {@code inspect} (of a run of rows, the last only); the frames of the response are then handed over
     * together (the whole buffer when it holds nothing else). Frames after the end of the response belong to the
     * command started meanwhile, if any. Takes ownership of {@code run}.
     */
    private void onResponseFrames(ByteBuf run) {
        lastActiveMillis = CoarseClock.millis();
        int end = run.writerIndex();
        int from = run.readerIndex();
        int at = from;
        boolean owned = true;
        try {
            while (at < end) {
                if (state != State.BUSY) {
                    throw new IllegalStateException("server " + address + " sent data while idle");
                }
                ResponseHandler h = handler;
                // the rows of a result set, the bulk of most responses, are passed over in one go: the handler
                // sees the last of them only
                int lastRow = tracker.skipRows(run, at, end);
                int frame = lastRow < 0 ? at : lastRow;
                int next = frame + 4 + run.getUnsignedMediumLE(frame);
                boolean done;
                ByteBuf instead;
                try {
                    done = lastRow < 0 && tracker.onFrame(run, at, next);
                    instead = h.inspect(this, run, frame);
                } catch (RuntimeException e) {
                    if (frame > from) { // what came before the bad frame is relayed, as it would have been frame by frame
                        h.onFrames(this, run.retainedSlice(from, frame - from));
                    }
                    throw e;
                }
                at = next;
                if (instead != null) {
                    if (frame > from) {
                        h.onFrames(this, run.retainedSlice(from, frame - from));
                    }
                    h.onFrames(this, instead);
                    from = at;
                }
                if ((done || at == end) && from < at) {
                    if (from == run.readerIndex() && at == end) {
                        owned = false;
                        h.onFrames(this, run);
                    } else {
                        h.onFrames(this, run.retainedSlice(from, at - from));
                    }
                    from = at;
                }
                if (done && state == State.BUSY && handler == h) {
                    ResponseTracker t = tracker;
                    state = State.READY;
                    handler = null;
                    h.onComplete(this, t);
                }
            }
        } finally {
            if (owned) {
                run.release();
            }
        }
    }

    private final class Handler extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf run = (ByteBuf) msg;
            try {
                if (state == State.BUSY) {
                    onResponseFrames(run);
                    return;
                }
                try {
                    while (run.isReadable() && (state == State.CONNECTING || state == State.AUTHENTICATING)) {
                        int at = run.readerIndex();
                        int len = run.getUnsignedMediumLE(at);
                        int seq = run.getUnsignedByte(at + 3);
                        ByteBuf payload = run.slice(at + 4, len);
                        run.skipBytes(4 + len);
                        if (authSeq == 0) {
                            onHandshake(payload);
                        } else {
                            onAuthResult(payload, seq);
                        }
                    }
                    if (run.isReadable() && state != State.CLOSED) {
                        fail(new IOException("server " + address + " sent data while idle"));
                    }
                } finally {
                    run.release();
                }
            } catch (ServerErrorException e) {
                fail(e);
            } catch (RuntimeException e) {
                fail(new IOException("bad packet from server " + address + ": " + e.getMessage(), e));
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            listener.readBatchComplete(ServerConnection.this);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            listener.writabilityChanged(ServerConnection.this, ctx.channel().isWritable());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            fail(new IOException("server " + address + " closed the connection"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(new IOException("connection to " + address + " failed: " + cause.getMessage(), cause));
        }
    }
}
