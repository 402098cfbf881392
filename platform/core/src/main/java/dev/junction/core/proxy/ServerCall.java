package dev.junction.core.proxy;

import dev.junction.api.topology.ServerAddress;
import dev.junction.core.protocol.ErrorCodes;
import dev.junction.core.protocol.MysqlError;
import dev.junction.core.protocol.Packets;
import dev.junction.core.protocol.ResponseTracker;
import dev.junction.core.protocol.ServerErrorException;
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
 * and report completion to the {@link CommandHandler}. A command that may have executed is never re-sent;
 * only a failed connect (nothing sent) moves on to another server when the route allows it.
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
    private ByteBuf payload;
    private int lastSeq = -1;
    private boolean midPacket;

    /**
     * @param clientSeq the sequence id the response starts at (after the client's command frames)
     * @param payload the command to send; owned by the call
     * @param sync whether to bring the connection up to date first (not for FETCH, RESET, ...)
     * @param reroute another server to try when connecting failed, or null when the command is bound to one
     */
    ServerCall(CommandHandler commands, int clientSeq, ByteBuf payload, ResponseTracker.Kind kind, boolean sync,
            CallHooks hooks, Supplier<ServerAddress> reroute) {
        this.commands = commands;
        this.session = commands.session();
        this.client = session.channel();
        this.clientSeq = clientSeq;
        this.payload = payload;
        this.kind = kind;
        this.sync = sync;
        this.hooks = hooks;
        this.reroute = reroute;
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
        StepRunner.run(sc, steps, this::failBeforeSend, () -> send(sc));
    }

    private void connectFailed(ServerAddress target, Throwable err) {
        if (failed == null) {
            failed = new HashSet<>();
        }
        failed.add(target);
        if (reroute != null && !(err instanceof ServerErrorException) && failed.size() < 3) {
            ServerAddress next = reroute.get();
            if (next != null && !failed.contains(next)) {
                commands.log().debug("Session {}: {}; trying {}", session.id(), err.getMessage(), next);
                start(next);
                return;
            }
        }
        failBeforeSend(err);
    }

    private void send(ServerConnection sc) {
        ByteBuf p = payload;
        payload = null;
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
        session.runningOn(null);
        commands.replyError(clientSeq, toError(err, false));
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

    @Override
    public void inspect(ServerConnection sc, ByteBuf b, int at) {
        ResponseTracker t = sc.tracker();
        hooks.onFrame(sc, t, b, at);
        int len = b.getUnsignedMediumLE(at);
        lastSeq = b.getUnsignedByte(at + 3);
        midPacket = len == Packets.MAX_FRAME_PAYLOAD;
        if (t.awaitingLocalInfile() && !midPacket) {
            commands.awaitLocalInfile(sc, (lastSeq + 1) & 0xff);
        }
    }

    @Override
    public void onFrames(ServerConnection sc, ByteBuf frames) {
        client.write(frames, client.voidPromise());
        if (!client.isWritable()) {
            sc.autoRead(false);
        }
    }

    @Override
    public void onComplete(ServerConnection sc, ResponseTracker tracker) {
        session.runningOn(null);
        session.observeStatus(sc, tracker.error() == null ? tracker.lastStatus() : -1);
        hooks.onComplete(sc, tracker);
        commands.done();
    }

    @Override
    public void onFailure(ServerConnection sc, Throwable cause) {
        session.runningOn(null);
        commands.localInfileAborted();
        boolean lostTransaction = session.transactionServer() == sc;
        if (midPacket || lostTransaction) {
            commands.log().info("Session {}: closing the client: {}{}", session.id(), cause.getMessage(),
                    lostTransaction ? " (its transaction is lost)" : "");
            if (!midPacket) {
                commands.replyError(lastSeq < 0 ? clientSeq : (lastSeq + 1) & 0xff, toError(cause, true));
            }
            client.writeAndFlush(client.alloc().buffer(0)).addListener(f -> client.close());
            return;
        }
        commands.replyError(lastSeq < 0 ? clientSeq : (lastSeq + 1) & 0xff, toError(cause, true));
        client.flush();
        commands.done();
    }
}
