package dev.junction.core.proxy;

import dev.junction.api.filter.LoginRequest;
import dev.junction.api.filter.StatementOutcome;
import dev.junction.api.statement.StatementInfo;
import dev.junction.api.topology.ServerAddress;
import dev.junction.core.protocol.Commands;
import dev.junction.core.protocol.DirectSend;
import dev.junction.core.protocol.ErrorCodes;
import dev.junction.core.protocol.MalformedPacketException;
import dev.junction.core.protocol.MysqlError;
import dev.junction.core.protocol.Packet;
import dev.junction.core.protocol.Packets;
import dev.junction.core.protocol.ResponseTracker;
import dev.junction.core.routing.Route;
import dev.junction.core.routing.RoutingPipeline;
import dev.junction.core.session.ClientSession;
import dev.junction.core.session.CoarseClock;
import dev.junction.core.session.ServerConnection;
import dev.junction.core.session.ServerConnectionListener;
import dev.junction.core.sql.SqlCommand;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a logged-in client's commands one at a time (pipelined commands wait in a queue), answering some
 * itself and forwarding the rest through {@link ServerCall}. Client output is written as it comes and
 * flushed once per read batch of the client or of a server.
 */
final class CommandHandler extends ChannelInboundHandlerAdapter implements ServerConnectionListener {

    private static final Logger LOG = LoggerFactory.getLogger(CommandHandler.class);
    private static final int QUEUE_HIGH = 32;
    private static final int QUEUE_LOW = 8;

    private final ProxyContext context;
    private final ClientSession session;
    private final byte[] scramble;
    private final QueryCommands queries;
    private final StatementCommands statements;
    private final AdminCommands admin;
    private final ChangeUserCommand changeUser;
    private final ArrayDeque<Packet> queue = new ArrayDeque<>();
    private Channel client;
    /** Whether the client's channel may be written past its outbound buffer (no TLS; see {@link DirectSend}). */
    private boolean directSend;
    private boolean busy;
    private boolean draining;
    private ServerConnection infileTarget;
    private int infileSeq;
    private ServerConnection toFlush;
    private long idleTimeoutMillis;
    /** When a command last arrived or finished (coarse clock: no clock read per statement). */
    private long lastActiveMillis;
    private ScheduledFuture<?> idleTimer;
    /** A statement the statement filters admitted whose end the result filters have not heard yet, or null. */
    private StatementInfo admitted;
    private long admittedAt;
    /** The admitted statement's routing plan, which reports its end itself; null while it has none. */
    private Route admittedRoute;
    /** The error code of the current command's answer (0: none yet) and the server that gave it (or null). */
    private int answerError;
    private ServerAddress answerServer;

    CommandHandler(ProxyContext context, ClientSession session, byte[] scramble) {
        this.context = context;
        this.session = session;
        this.scramble = scramble;
        this.queries = new QueryCommands(this);
        this.statements = new StatementCommands(this);
        this.admin = new AdminCommands(this);
        this.changeUser = new ChangeUserCommand(this);
        session.serverListener(this);
    }

    ClientSession session() {
        return session;
    }

    ProxyContext context() {
        return context;
    }

    byte[] scramble() {
        return scramble;
    }

    Logger log() {
        return LOG;
    }

    AdminCommands admin() {
        return admin;
    }

    /** Whether responses may be sent to the client past the outbound buffer (see {@link DirectSend}). */
    boolean directSend() {
        return directSend;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        client = ctx.channel();
        directSend = DirectSend.eligible(client);
        long idleMillis = context.config().clientIdleTimeoutMillis();
        if (idleMillis > 0) {
            idleTimeoutMillis = idleMillis;
            lastActiveMillis = CoarseClock.millis();
            idleTimer = ctx.executor().schedule(this::idleCheck, idleMillis, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * client_idle_timeout: a client with no command running that sent nothing and got nothing for that long
     * is closed. Activity is noted per command (not per write), and the timer is re-armed only when it fires.
     */
    private void idleCheck() {
        idleTimer = null;
        if (!client.isActive()) {
            return;
        }
        long idle = CoarseClock.millis() - lastActiveMillis;
        if (!busy && idle >= idleTimeoutMillis) {
            LOG.debug("Session {}: idle for client_idle_timeout, closing", session.id());
            client.close();
            return;
        }
        long delay = busy ? idleTimeoutMillis : idleTimeoutMillis - idle;
        idleTimer = client.eventLoop().schedule(this::idleCheck, Math.max(1, delay), TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Packet)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        Packet p = (Packet) msg;
        lastActiveMillis = CoarseClock.millis();
        if (infileTarget != null) {
            localInfilePacket(p);
            return;
        }
        if (changeUser.awaitingSwitchResponse()) {
            try {
                changeUser.switchResponse(p);
            } finally {
                p.release();
            }
            return;
        }
        queue.add(p);
        if (queue.size() > QUEUE_HIGH) {
            client.config().setAutoRead(false);
        }
        drain();
    }

    private void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            while (!busy && infileTarget == null && !changeUser.awaitingSwitchResponse() && !queue.isEmpty()
                    && client.isActive()) {
                Packet p = queue.poll();
                busy = true;
                try {
                    dispatch(p);
                } catch (MalformedPacketException | IndexOutOfBoundsException e) {
                    replyError(p.nextSeq(), new MysqlError(ErrorCodes.MALFORMED_PACKET, "HY000", "Malformed packet"));
                    done();
                } finally {
                    p.release();
                }
            }
        } finally {
            draining = false;
        }
        if (queue.size() < QUEUE_LOW && !client.config().isAutoRead() && infileTarget == null) {
            client.config().setAutoRead(true);
        }
    }

    private void dispatch(Packet p) {
        ByteBuf payload = p.payload();
        if (p.seq() != 0) {
            ClientErrors.errAndClose(client.pipeline().context(this), p.nextSeq(), ErrorCodes.NET_PACKETS_OUT_OF_ORDER,
                    "08S01", "Got packets out of order");
            return;
        }
        if (!payload.isReadable()) {
            throw new MalformedPacketException("empty command");
        }
        int cmd = payload.getUnsignedByte(payload.readerIndex());
        if (cmd != Commands.COM_QUERY && cmd != Commands.COM_STMT_EXECUTE) { // those two stamp their own text
            session.activity(Commands.name(cmd), null, null);
        }
        switch (cmd) {
            case Commands.COM_QUIT:
                client.close();
                return;
            case Commands.COM_PING:
                replyOk(p.nextSeq());
                done();
                return;
            case Commands.COM_QUERY:
                queries.query(p);
                return;
            case Commands.COM_INIT_DB:
                queries.initDb(p);
                return;
            case Commands.COM_FIELD_LIST:
                forward(p, route(false), ResponseTracker.Kind.FIELD_LIST, CallHooks.NONE, true);
                return;
            case Commands.COM_STATISTICS:
                forward(p, routeSessionStatement(), ResponseTracker.Kind.SINGLE, CallHooks.NONE, false);
                return;
            case Commands.COM_SET_OPTION:
                setOption(p);
                return;
            case Commands.COM_RESET_CONNECTION:
                session.reset();
                replyOk(p.nextSeq());
                done();
                return;
            case Commands.COM_CHANGE_USER:
                changeUser.start(p);
                return;
            case Commands.COM_PROCESS_KILL:
                admin.kill(p.nextSeq(), payload.getUnsignedIntLE(payload.readerIndex() + 1), false);
                return;
            case Commands.COM_STMT_PREPARE:
                statements.prepare(p);
                return;
            case Commands.COM_STMT_EXECUTE:
                statements.execute(p);
                return;
            case Commands.COM_STMT_FETCH:
                statements.fetch(p);
                return;
            case Commands.COM_STMT_SEND_LONG_DATA:
                statements.longData(p);
                return;
            case Commands.COM_STMT_CLOSE:
                statements.close(p);
                return;
            case Commands.COM_STMT_RESET:
                statements.reset(p);
                return;
            default:
                replyError(p.nextSeq(), new MysqlError(ErrorCodes.UNKNOWN_COM, "08S01", "Unknown command"));
                done();
        }
    }

    private void setOption(Packet p) {
        ByteBuf b = p.payload();
        if (b.readableBytes() < 3) {
            throw new MalformedPacketException("short COM_SET_OPTION");
        }
        int option = b.getUnsignedShortLE(b.readerIndex() + 1);
        if (option > 1) {
            replyError(p.nextSeq(), new MysqlError(ErrorCodes.UNKNOWN_COM, "08S01", "Unknown command"));
        } else {
            session.multiStatementsOff(option == 1);
            Packets.write(client, p.nextSeq(), Packets.eof(client.alloc(), session.status(), 0));
        }
        done();
    }

    // ---- routing

    /** The server for a statement: the transaction's, the last one for statements that depend on it, else the chooser's. */
    ServerAddress route(boolean dependsOnLast) {
        ServerConnection tx = session.transactionServer();
        if (tx != null) {
            return tx.address();
        }
        ServerConnection last = session.lastServer();
        if (dependsOnLast && last != null) {
            return last.address();
        }
        return choose();
    }

    /** For statements that only touch session state (SET, USE): the transaction's or last server, to avoid new connections. */
    ServerAddress routeSessionStatement() {
        ServerConnection tx = session.transactionServer();
        if (tx != null) {
            return tx.address();
        }
        ServerConnection last = session.lastServer();
        return last != null ? last.address() : choose();
    }

    ServerAddress choose() {
        return context.chooser().choose(session, session.tenantConfig().servers());
    }

    /**
     * A COM_QUERY statement no session rule binds: the routing pipeline plans its servers (policies, disaster
     * checks, retries, feedback). The transaction's server and the last server for statements that depend on it
     * keep priority; with no SPI service registered and no leading hint comment, the plain chooser decides.
     *
     * @param info the analysis when the statement filters made one already, else null
     */
    void forwardQuery(Packet p, SqlCommand c, StatementInfo info) {
        ServerConnection tx = session.transactionServer();
        RoutingPipeline routing = context.routing();
        boolean sessionRule = tx != null || (c.dependsOnLast() && session.lastServer() != null);
        String cluster = session.tenantConfig().cluster();
        boolean plain = info == null ? routing.idle(cluster) : info == admitted && routing.plansNothing(cluster);
        if (plain && (sessionRule || c.text() == null || !leadingComment(c.text()))) {
            forward(p, route(c.dependsOnLast()), ResponseTracker.Kind.QUERY, CallHooks.NONE, true);
            return;
        }
        if (info == null) {
            ByteBuf payload = p.payload();
            int from = payload.readerIndex() + 1;
            info = routing.analyze(payload.toString(from, payload.writerIndex() - from, StandardCharsets.UTF_8));
        }
        Route plan = sessionRule
                ? routing.bound(session, session.tenantConfig(), info, route(c.dependsOnLast()),
                        tx != null ? "transaction" : "depends on the previous statement")
                : routing.plan(session, session.tenantConfig(), info, false);
        if (admitted != null) {
            admittedRoute = plan;
        }
        ServerAddress first = plan.next();
        if (first == null) {
            // a policy allowed only servers that are not candidates (e.g. followers only, and none is left)
            MysqlError error = new MysqlError(ErrorCodes.NO_SERVER_ALLOWED, "HY000", "Junction: routing policy "
                    + plan.decidedBy() + " allows no server of tenant " + session.tenant() + " for this statement");
            plan.finished(null, error.code(), false);
            replyError(p.nextSeq(), error);
            client.flush();
            done();
            return;
        }
        new ServerCall(this, p.nextSeq(), p.payload().retain(), ResponseTracker.Kind.QUERY, true, CallHooks.NONE, plan)
                .start(first);
    }

    private static boolean leadingComment(String sql) {
        for (int i = 0; i < sql.length(); i++) {
            char ch = sql.charAt(i);
            if (!Character.isWhitespace(ch)) {
                return ch == '/';
            }
        }
        return false;
    }

    /** Forwards the client's packet to {@code target} and relays the answer. */
    void forward(Packet p, ServerAddress target, ResponseTracker.Kind kind, CallHooks hooks, boolean free) {
        forwardPayload(p.nextSeq(), p.payload().retain(), target, kind, hooks, true, free);
    }

    /**
     * Runs {@code payload} (owned) on {@code target}.
     *
     * @param sync bring the connection up to date first
     * @param free whether another server may be tried when connecting fails
     */
    void forwardPayload(int replySeq, ByteBuf payload, ServerAddress target, ResponseTracker.Kind kind, CallHooks hooks,
            boolean sync, boolean free) {
        // a held BEGIN goes with the statement (a step): until it ran somewhere the statement is not bound
        boolean bound = !free || session.transactionServer() != null;
        new ServerCall(this, replySeq, payload, kind, sync, hooks, bound ? null : this::choose).start(target);
    }

    // ---- answers Junction gives itself

    void replyOk(int seq) {
        Packets.write(client, seq, Packets.ok(client.alloc(), 0, 0, session.status(), 0));
    }

    void replyError(int seq, MysqlError error) {
        answerError = error.code();
        Packets.write(client, seq, error.encode(client.alloc()));
    }

    /** The current command's answer came from {@code server}: error {@code code}, 0 for success. */
    void answered(ServerAddress server, int code) {
        answerServer = server;
        answerError = code;
    }

    /**
     * The statement filters admitted {@code info}: the result filters hear how it ended exactly once, whatever the
     * path (answered by Junction, forwarded with or without a plan, failed, killed, or the client left).
     */
    void admitted(StatementInfo info) {
        admitted = info;
        admittedAt = System.nanoTime();
        admittedRoute = null;
        answerError = 0;
        answerServer = null;
    }

    private void endAdmitted(int errorCode) {
        StatementInfo info = admitted;
        if (info == null) {
            return;
        }
        Route plan = admittedRoute;
        admitted = null;
        admittedRoute = null;
        if (plan != null) {
            plan.finished(null, errorCode, false); // a no-op when the plan reported already
            return;
        }
        context.routing().result(info, session, new StatementOutcome(answerServer, errorCode,
                System.nanoTime() - admittedAt));
    }

    /**
     * Runs {@code again} for command {@code p} on the session's event loop after {@code delay} (a statement filter
     * delayed it: the session's next commands wait, nothing blocks). A failure ends the command with an error.
     */
    void later(Packet p, java.time.Duration delay, Runnable again) {
        p.retain();
        client.eventLoop().schedule(() -> {
            try {
                if (client.isActive()) {
                    again.run();
                }
            } catch (RuntimeException e) {
                LOG.warn("Session {}: a delayed statement failed", session.id(), e);
                replyError(p.nextSeq(), new MysqlError(ErrorCodes.MALFORMED_PACKET, "HY000",
                        "Junction: the delayed statement failed: " + e));
                client.flush();
                done();
            } finally {
                p.release();
            }
        }, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    }

    /** The current command is finished: take the next one. */
    void done() {
        finish();
        drain();
    }

    /**
     * The command ended and {@code response} (its last frames, owned by this call; null when none are left) goes
     * to the client now, once the statement is accounted for (result filters, process list): a client holding the
     * answer never finds its statement still running.
     */
    void done(ByteBuf response) {
        finish();
        if (response != null) {
            DirectSend.write(client, response, directSend);
        }
        drain();
    }

    private void finish() {
        endAdmitted(answerError);
        answerError = 0;
        answerServer = null;
        busy = false;
        lastActiveMillis = CoarseClock.millis();
        session.activity("Sleep", null, null);
    }

    void closeClient() {
        client.close();
    }

    // ---- LOAD DATA LOCAL INFILE

    void awaitLocalInfile(ServerConnection sc, int nextClientSeq) {
        infileTarget = sc;
        infileSeq = nextClientSeq;
    }

    void localInfileAborted() {
        infileTarget = null;
    }

    private void localInfilePacket(Packet p) {
        if (p.seq() != infileSeq) {
            p.release();
            ServerConnection sc = infileTarget;
            infileTarget = null;
            ClientErrors.errAndClose(client.pipeline().context(this), p.nextSeq(), ErrorCodes.NET_PACKETS_OUT_OF_ORDER,
                    "08S01", "Got packets out of order");
            sc.close(null);
            return;
        }
        infileSeq = p.nextSeq();
        boolean last = !p.payload().isReadable();
        ServerConnection sc = infileTarget;
        sc.forward(p);
        toFlush = sc;
        if (last) {
            infileTarget = null;
            sc.flush();
            toFlush = null;
            client.config().setAutoRead(true);
        } else if (!sc.channel().isWritable()) {
            client.config().setAutoRead(false);
            sc.flush();
            if (sc.channel().isWritable()) {
                client.config().setAutoRead(true);
            }
        }
    }

    // ---- flushing, flow control, events

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (toFlush != null) {
            toFlush.flush();
            toFlush = null;
        }
        if (DirectSend.needsFlush(client, directSend)) {
            ctx.flush();
        }
    }

    @Override
    public void readBatchComplete(ServerConnection server) {
        if (DirectSend.needsFlush(client, directSend)) {
            client.flush();
        }
    }

    @Override
    public void writabilityChanged(ServerConnection server, boolean writable) {
        if (writable && infileTarget == server) {
            client.config().setAutoRead(true);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            for (ServerConnection sc : session.connections()) {
                sc.autoRead(true);
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void closed(ServerConnection server) {
        // a transaction lost between statements is flagged by the session; its next statement fails
    }

    /**
     * The answer to the first statement after the client's transaction was lost between statements (a ROLLBACK
     * is answered OK instead): the statement is not run, the transaction is gone.
     */
    boolean failIfTransactionLost(int seq, boolean rollback) {
        String lost = session.transactionLost();
        if (lost == null) {
            return false;
        }
        session.transactionLost(null);
        if (rollback) {
            return false;
        }
        LOG.info("Session {}: its transaction was lost ({}); failing its next statement", session.id(), lost);
        replyError(seq, new MysqlError(ErrorCodes.TRANSACTION_ROLLED_BACK, "40001", "Junction: the transaction was"
                + " lost and rolled back (" + lost + "); this statement was not run; start the transaction again"));
        client.flush();
        done();
        return true;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (idleTimer != null) {
            idleTimer.cancel(false);
            idleTimer = null;
        }
        Packet p;
        while ((p = queue.poll()) != null) {
            p.release();
        }
        infileTarget = null;
        session.closeServers(null);
        endAdmitted(ErrorCodes.SERVER_GONE); // the client left before the answer
        context.sessions().remove(session);
        if (!context.routing().services().loginFilters().isEmpty()) {
            context.routing().logout(new LoginRequest(session.user(), session.tenant(), session.cluster(),
                    session.clientAddress()));
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ClientErrors.report(ctx, cause, 1);
    }

    static String display(ByteBuf payload, int from) {
        int len = Math.min(payload.writerIndex() - from, 1024);
        return len <= 0 ? "" : payload.toString(from, len, StandardCharsets.UTF_8);
    }
}
