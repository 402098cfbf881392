package dev.junction.core.proxy;

import dev.junction.api.health.FailureKind;
import dev.junction.api.topology.ServerAddress;
import dev.junction.core.protocol.DirectSend;
import dev.junction.core.protocol.ErrorCodes;
import dev.junction.core.protocol.MysqlError;
import dev.junction.core.protocol.Packets;
import dev.junction.core.protocol.ResponseTracker;
import dev.junction.core.protocol.ServerErrorException;
import dev.junction.core.protocol.ServerStatus;
import dev.junction.core.routing.Route;
import dev.junction.core.session.ClientSession;
import dev.junction.core.session.InternalStep;
import dev.junction.core.session.ResponseHandler;
import dev.junction.core.session.ServerConnection;
import dev.junction.core.session.ServerSync;
import dev.junction.core.session.ServerTimeoutException;
import dev.junction.core.session.StepRunner;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One client command forwarded to one server: connect if needed, bring the connection up to date, send the
 * command, relay the response frame by frame to the client (write only; flushing happens per read batch),
 * and report completion to the {@link CommandHandler}. A command that may have executed is never re-sent:
 * a failed connect (nothing sent) or a refusal proving nothing ran moves on to another server when the route
 * allows it, and so does a plain read (a lone SELECT without locks, assignments or effectful calls, outside
 * transactions) or a prepare whose connection broke before any answer byte reached the client: running it twice
 * changes nothing.
 */
final class ServerCall implements ResponseHandler {

    private final CommandHandler commands;
    private final ClientSession session;
    private final Channel client;
    private final int clientSeq;
    private final ResponseTracker.Kind kind;
    private final boolean sync;
    private final CallHooks hooks;
    private final Supplier<ServerAddress> reroute;
    private Set<ServerAddress> failed;
    /** The routing plan (servers to try, feedback), or null for commands routing does not plan. */
    private final Route plan;
    /** Whether a refusal proving the statement did not execute may send it to the next server. */
    private final boolean resendable;
    /**
     * Unplanned commands: whether the command, lost in flight, may run on another server (a plain read, see
     * {@link CallHooks#plainRead}, or a command {@link CallHooks#withoutEffect without effect}).
     */
    private final boolean retryRead;
    private ByteBuf payload;
    /**
     * The statement kept for a resend while no response byte reached the client, or null: one more reference to the
     * sent buffer (not a duplicate object per statement) and its indices, restored by {@link #takeResendCopy}.
     */
    private ByteBuf resendCopy;
    private int resendFrom;
    private int resendTo;
    private MysqlError refusal;
    private int lastSeq = -1;
    private boolean midPacket;
    /** The frames that completed the response, held until {@link #onComplete} has done the bookkeeping. */
    private ByteBuf lastFrames;
    /** Whether the client negotiated MariaDB's metadata caching (see {@link #columnCountForClient}). */
    private final boolean clientCachesMetadata;
    /** Added to the sequence ids of the frames relayed: column definitions Junction put back in come before them. */
    private int seqShift;
    /** Frames {@link #columnCountForClient} built (numbered already), until handed over, and the shift after them. */
    private ByteBuf built;
    private int pendingShift;

    /**
     * @param clientSeq the sequence id the response starts at (after the client's command frames)
     * @param payload the command to send; owned by the call
     * @param sync whether to bring the connection up to date first (not for FETCH, RESET, ...)
     * @param reroute another server to try when connecting failed, or null when the command is bound to one
     */
    ServerCall(CommandHandler commands, int clientSeq, ByteBuf payload, ResponseTracker.Kind kind, boolean sync,
            CallHooks hooks, Supplier<ServerAddress> reroute) {
        // (a command the session binds to its server has no reroute)
        this(commands, clientSeq, payload, kind, sync, hooks, null, reroute, false,
                reroute != null && retryReadAllowed(commands.session(), hooks));
    }

    /**
     * A statement the routing pipeline planned: servers are taken from {@code plan} (connect failures move on,
     * within its attempt budget). Outside a transaction, with autocommit on and no held BEGIN, a refusal that
     * proves the statement did not execute (see {@code NotExecuted}) arriving before any response byte reached
     * the client sends it to the next server too. Anything that may have executed is never re-sent.
     */
    ServerCall(CommandHandler commands, int clientSeq, ByteBuf payload, ResponseTracker.Kind kind, boolean sync,
            CallHooks hooks, Route plan) {
        this(commands, clientSeq, payload, kind, sync, hooks, plan,
                commands.session().transactionServer() != null ? null : plan::next,
                resendAllowed(commands.session(), hooks), false);
    }

    private ServerCall(CommandHandler commands, int clientSeq, ByteBuf payload, ResponseTracker.Kind kind,
            boolean sync, CallHooks hooks, Route plan, Supplier<ServerAddress> reroute, boolean resendable,
            boolean retryRead) {
        this.commands = commands;
        this.session = commands.session();
        this.client = session.channel();
        this.clientSeq = clientSeq;
        this.payload = payload;
        this.kind = kind;
        this.sync = sync;
        this.hooks = hooks;
        this.plan = plan;
        this.reroute = reroute;
        this.resendable = resendable;
        this.retryRead = retryRead;
        this.clientCachesMetadata = session.cachesMetadata();
    }

    /** An unplanned command lost in flight may run elsewhere: without effect, or a plain read outside transactions. */
    private static boolean retryReadAllowed(ClientSession session, CallHooks hooks) {
        return session.heldBegin() == null && (hooks.withoutEffect() || hooks.plainRead()
                && session.transactionServer() == null && (session.status() & ServerStatus.AUTOCOMMIT) != 0);
    }

    /** A planned statement refused before it ran may go to the next server: unbound, autocommit, nothing held. */
    private static boolean resendAllowed(ClientSession session, CallHooks hooks) {
        return session.transactionServer() == null && hooks == CallHooks.NONE && session.heldBegin() == null
                && (session.status() & ServerStatus.AUTOCOMMIT) != 0;
    }

    void start(ServerAddress target) {
        ServerConnection sc = session.connection(target);
        session.runningOn(sc);
        if (sc.isReady()) {
            ready(sc);
            return;
        }
        sc.whenReady(err -> {
            if (err != null) {
                connectFailed(target, err);
                return;
            }
            ready(sc);
        });
    }

    private void ready(ServerConnection sc) {
        List<InternalStep> steps;
        try {
            steps = sync ? ServerSync.steps(session, sc) : List.of();
            List<InternalStep> extra = hooks.extraSteps(sc);
            if (!extra.isEmpty()) {
                List<InternalStep> all = new ArrayList<>(steps);
                all.addAll(extra);
                steps = all;
            }
        } catch (RuntimeException e) {
            failBeforeSend(e);
            return;
        }
        if (steps.isEmpty()) {
            send(sc);
            return;
        }
        StepRunner.run(sc, steps, err -> syncFailed(sc, err), () -> send(sc));
    }

    /**
     * Bringing the connection up to date failed. A broken connection is like a failed connect: the statement was
     * not sent, so another server may take it; an error answer ends the statement with that error.
     */
    private void syncFailed(ServerConnection sc, Throwable err) {
        if (err instanceof ServerErrorException) {
            failBeforeSend(err);
        } else {
            connectFailed(sc.address(), err);
        }
    }

    private void connectFailed(ServerAddress target, Throwable err) {
        if (failed == null) {
            failed = new HashSet<>();
        }
        failed.add(target);
        if (plan != null && !(err instanceof ServerErrorException)) {
            plan.connectFailed(target, String.valueOf(err.getMessage()));
        } else if (!(err instanceof ServerErrorException)) {
            // unplanned commands (prepared executions, ...) tell the disaster checks too, so they stop choosing it
            commands.context().routing().failed(target, FailureKind.CONNECT_ERROR, String.valueOf(err.getMessage()));
        }
        if (reroute != null && !(err instanceof ServerErrorException)
                && (plan != null ? plan.attempts() < plan.maxAttempts() : failed.size() < 3)) {
            ServerAddress next = plan != null ? reroute.get() : untried();
            if (next != null) {
                commands.log().debug("Session {}: {}; trying {}", session.id(), err.getMessage(), next);
                start(next);
                return;
            }
        }
        failBeforeSend(err);
    }

    /** Unplanned commands: the chooser's next server not tried yet (it rotates: ask a few times), or null. */
    private ServerAddress untried() {
        ServerAddress next = reroute.get();
        for (int i = 0; next != null && failed.contains(next) && i < 8; i++) {
            next = reroute.get();
        }
        return next != null && !failed.contains(next) ? next : null;
    }

    private void send(ServerConnection sc) {
        ByteBuf p = payload;
        payload = null;
        if (resendable || retryRead) {
            // the hooks may set this server's statement id in place; a resend sets the next server's again
            resendCopy = p.retain();
            resendFrom = p.readerIndex();
            resendTo = p.writerIndex();
        }
        ByteBuf out;
        try {
            out = hooks.beforeSend(sc, p);
        } catch (RuntimeException e) {
            p.release();
            failBeforeSend(e);
            return;
        }
        sc.send(out, kind, this);
    }

    private void failBeforeSend(Throwable err) {
        if (payload != null) {
            payload.release();
            payload = null;
        }
        releaseResendCopy();
        session.runningOn(null);
        MysqlError error = toError(err, false);
        if (plan != null) {
            plan.finished(null, error.code(), false);
        }
        commands.replyError(clientSeq, error);
        client.flush();
        commands.done();
    }

    static MysqlError toError(Throwable err, boolean sent) {
        if (err instanceof ServerErrorException) {
            return ((ServerErrorException) err).error();
        }
        if (err instanceof ServerTimeoutException) {
            return new MysqlError(ErrorCodes.NET_READ_INTERRUPTED, "08S01", "Junction: " + err.getMessage());
        }
        if (sent) {
            return new MysqlError(ErrorCodes.SERVER_GONE, "HY000", "Junction: lost connection to the server during the"
                    + " statement; it may or may not have executed (" + err.getMessage() + ")");
        }
        return new MysqlError(ErrorCodes.CANNOT_CONNECT, "HY000", "Junction: " + err.getMessage());
    }

    private ByteBuf takeResendCopy() {
        ByteBuf b = resendCopy.setIndex(resendFrom, resendTo);
        resendCopy = null;
        return b;
    }

    private void releaseResendCopy() {
        if (resendCopy != null) {
            resendCopy.release();
            resendCopy = null;
        }
    }

    @Override
    public ByteBuf inspect(ServerConnection sc, ByteBuf b, int at) {
        int len = b.getUnsignedMediumLE(at);
        if (resendCopy != null && lastSeq < 0 && refusal == null && len >= 3
                && b.getUnsignedByte(at + 4) == 0xff && plan.mayResend(b.getUnsignedShortLE(at + 5))) {
            // the server refused before executing: nothing reaches the client, onComplete tries the next server
            refusal = MysqlError.parse(b.slice(at + 4, len));
            return null;
        }
        ResponseTracker t = sc.tracker();
        hooks.onFrame(sc, t, b, at);
        lastSeq = (b.getUnsignedByte(at + 3) + seqShift) & 0xff;
        midPacket = len == Packets.MAX_FRAME_PAYLOAD;
        if (t.awaitingLocalInfile() && !midPacket) {
            commands.awaitLocalInfile(sc, (lastSeq + 1) & 0xff);
        }
        if (clientCachesMetadata && t.role() == ResponseTracker.Role.COLUMN_COUNT) {
            return columnCountForClient(sc, t, b, at, len);
        }
        return null;
    }

    /**
     * A client that caches metadata expects a "metadata follows" byte in every column count and keeps a prepared
     * statement's column definitions until new ones come. A server without the capability gets the byte added
     * (its definitions always follow); a server that left out definitions this client does not have (another server
     * sent the client different ones) gets them put back in, and the frames after them renumbered.
     */
    private ByteBuf columnCountForClient(ServerConnection sc, ResponseTracker t, ByteBuf b, int at, int len) {
        if (!sc.cachesMetadata()) {
            ByteBuf f = client.alloc().buffer(len + 5);
            f.writeMediumLE(len + 1).writeByte(lastSeq).writeBytes(b, at + 4, len).writeByte(1);
            built = f;
            return f;
        }
        byte[] missing = t.metadataSkipped() && t.resultSets() == 1 ? hooks.columnsClientLacks(sc) : null;
        if (missing == null) {
            return null;
        }
        ByteBuf f = client.alloc().buffer(len + 4 + missing.length);
        f.writeBytes(b, at, len + 4).setByte(len + 3, 1); // metadata follows after all
        f.setByte(3, lastSeq);
        int seq = lastSeq;
        int first = f.writerIndex();
        f.writeBytes(missing);
        int added = 0;
        for (int p = first; p < f.writerIndex(); p += 4 + f.getUnsignedMediumLE(p)) {
            seq = (seq + 1) & 0xff;
            f.setByte(p + 3, seq);
            added++;
        }
        lastSeq = seq;
        pendingShift = added;
        built = f;
        return f;
    }

    /** Adds {@link #seqShift} to the sequence id of every frame (definitions were put back in before them). */
    private void renumber(ByteBuf frames) {
        for (int p = frames.readerIndex(); p < frames.writerIndex(); p += 4 + frames.getUnsignedMediumLE(p)) {
            frames.setByte(p + 3, (frames.getUnsignedByte(p + 3) + seqShift) & 0xff);
        }
    }

    @Override
    public void onFrames(ServerConnection sc, ByteBuf frames) {
        if (refusal != null) {
            frames.release(); // the refusal is the whole response; the client never sees it
            return;
        }
        if (frames == built) {
            // numbered already; the frames after it move by the definitions it put back in
            built = null;
            seqShift += pendingShift;
            pendingShift = 0;
        } else if (seqShift != 0) {
            renumber(frames);
        }
        if (sc.tracker().isDone()) {
            lastFrames = frames; // written by onComplete, after the statement is accounted for
            return;
        }
        DirectSend.write(client, frames, commands.directSend());
        if (!client.isWritable()) {
            sc.autoRead(false);
        }
    }

    @Override
    public void onComplete(ServerConnection sc, ResponseTracker tracker) {
        if (refusal != null) {
            resendAfterRefusal(sc);
            return;
        }
        releaseResendCopy();
        session.runningOn(null);
        session.observeStatus(sc, tracker.error() == null ? tracker.lastStatus() : -1);
        hooks.onComplete(sc, tracker);
        int code = tracker.error() == null ? 0 : tracker.error().code();
        if (plan != null) {
            plan.finished(sc.address(), code, true);
        } else {
            commands.context().routing().succeeded(sc.address());
        }
        commands.answered(sc.address(), code);
        ByteBuf last = lastFrames;
        lastFrames = null;
        commands.done(last);
    }

    private void resendAfterRefusal(ServerConnection sc) {
        MysqlError error = refusal;
        refusal = null;
        plan.refused(sc.address(), error.code(), error.message());
        ServerAddress next = plan.next();
        if (next != null) {
            commands.log().debug("Session {}: {} refused the statement without running it ({}); trying {}",
                    session.id(), sc.address(), error, next);
            payload = takeResendCopy();
            start(next);
            return;
        }
        releaseResendCopy();
        session.runningOn(null);
        session.lastServer(sc);
        plan.finished(sc.address(), error.code(), true);
        commands.replyError(clientSeq, error);
        client.flush();
        commands.done();
    }

    @Override
    public void onFailure(ServerConnection sc, Throwable cause) {
        session.runningOn(null);
        commands.localInfileAborted();
        refusal = null;
        if (plan != null) {
            boolean timeout = cause instanceof ServerTimeoutException;
            // a plain read lost before any answer byte reached the client runs again elsewhere: twice changes
            // nothing (not after a timeout: it would likely time out again)
            if (!timeout && resendCopy != null && lastSeq < 0
                    && plan.lostMayRetry(sc.address(), timeout, String.valueOf(cause.getMessage()))) {
                ServerAddress next = plan.next();
                if (next != null) {
                    commands.log().debug("Session {}: lost the connection to {} during a plain read ({}); running it"
                            + " on {}", session.id(), sc.address(), cause.getMessage(), next);
                    payload = takeResendCopy();
                    start(next);
                    return;
                }
            } else {
                plan.lost(sc.address(), timeout, String.valueOf(cause.getMessage()));
            }
            plan.finished(sc.address(), toError(cause, true).code(), false);
        } else {
            commands.context().routing().failed(sc.address(), cause instanceof ServerTimeoutException
                    ? FailureKind.TIMEOUT : FailureKind.CONNECTION_RESET, String.valueOf(cause.getMessage()));
        }
        if (plan == null && retryRead && resendCopy != null && lastSeq < 0 && !(cause instanceof ServerTimeoutException)) {
            // a plain read (or a prepare) lost before any answer byte reached the client runs again on a server
            // not tried yet
            if (failed == null) {
                failed = new HashSet<>();
            }
            failed.add(sc.address());
            ServerAddress next = untried();
            if (next != null) {
                commands.log().debug("Session {}: lost the connection to {} during {} ({}); running it on {}",
                        session.id(), sc.address(), hooks.withoutEffect() ? "a prepare" : "a plain read",
                        cause.getMessage(), next);
                payload = takeResendCopy();
                start(next);
                return;
            }
        }
        releaseResendCopy();
        if (midPacket) {
            commands.log().info("Session {}: closing the client: {} (in the middle of a packet)", session.id(),
                    cause.getMessage());
            client.writeAndFlush(client.alloc().buffer(0)).addListener(f -> client.close());
            return;
        }
        MysqlError error = toError(cause, true);
        if (session.transactionServer() == sc) {
            // this error tells the client; the session carries on without the transaction
            session.forgetTransaction();
            commands.log().info("Session {}: its transaction is lost: {}", session.id(), cause.getMessage());
            error = new MysqlError(error.code(), error.sqlState(), error.message() + "; the transaction is lost"
                    + " (rolled back)");
        }
        commands.replyError(lastSeq < 0 ? clientSeq : (lastSeq + 1) & 0xff, error);
        client.flush();
        commands.done();
    }
}
