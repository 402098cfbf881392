package dev.junction.core.proxy;

import dev.junction.api.filter.FilterResult;
import dev.junction.api.statement.StatementInfo;
import dev.junction.api.topology.ServerAddress;
import dev.junction.core.protocol.Commands;
import dev.junction.core.protocol.ErrorCodes;
import dev.junction.core.protocol.MalformedPacketException;
import dev.junction.core.protocol.MysqlError;
import dev.junction.core.protocol.Packet;
import dev.junction.core.protocol.ResponseTracker;
import dev.junction.core.routing.RoutingPipeline;
import dev.junction.core.session.ClientSession;
import dev.junction.core.session.InternalStep;
import dev.junction.core.session.PreparedStatement;
import dev.junction.core.session.ServerConnection;
import dev.junction.core.session.ServerSync;
import dev.junction.core.session.StepRunner;
import dev.junction.core.sql.StatementClassifier;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The COM_STMT_* family under Junction's own statement ids. A statement is prepared on a server the first
 * time it runs there (transparent re-prepare) and ids are rewritten both ways; parameter types the client
 * bound earlier are added for a server that has not seen them. CLOSE reaches every server that has the
 * statement; FETCH goes where the cursor is; long data and the execution that uses it stay on one server.
 */
final class StatementCommands {

    private static final int ER_NO_OPEN_CURSOR = 1421;

    private final CommandHandler commands;
    private final ClientSession session;

    StatementCommands(CommandHandler commands) {
        this.commands = commands;
        this.session = commands.session();
    }

    void prepare(Packet p) {
        ByteBuf payload = p.payload();
        int from = payload.readerIndex() + 1;
        String sql = payload.toString(from, payload.writerIndex() - from, StandardCharsets.ISO_8859_1);
        boolean depends = StatementClassifier.classify(sql).dependsOnLast();
        session.activity("Prepare", CommandHandler.display(payload, from), null);
        commands.forward(p, commands.route(depends), ResponseTracker.Kind.PREPARE, new CallHooks() {
            private PreparedStatement ps;

            @Override
            public boolean withoutEffect() {
                return true;
            }

            @Override
            public void onFrame(ServerConnection sc, ResponseTracker t, ByteBuf b, int at) {
                if (t.packetsSeen() == 1 && t.error() == null) {
                    ps = session.statements().create(sql, t.prepareParams(), depends);
                    ps.preparedOn(sc, t.prepareStatementId());
                    b.setIntLE(at + 5, (int) ps.id());
                }
            }

            @Override
            public void onComplete(ServerConnection sc, ResponseTracker t) {
                if (ps != null && t.columnFrames() != null) {
                    ps.columnsSent(sc, t.columnFrames(), true);
                }
            }
        }, true);
    }

    void execute(Packet p) {
        ByteBuf payload = p.payload();
        PreparedStatement ps = statement(p);
        if (ps == null) {
            return;
        }
        int ri = payload.readerIndex();
        int params = ps.params();
        int nullBytes = (params + 7) / 8;
        if (payload.readableBytes() < 10 || (params > 0 && payload.readableBytes() < 11 + nullBytes)) {
            throw new MalformedPacketException("short COM_STMT_EXECUTE");
        }
        if (params > 0 && payload.getByte(ri + 10 + nullBytes) == 1) {
            if (payload.readableBytes() < 11 + nullBytes + 2 * params) {
                throw new MalformedPacketException("short COM_STMT_EXECUTE");
            }
            byte[] types = new byte[2 * params];
            payload.getBytes(ri + 11 + nullBytes, types);
            ps.boundTypes(types);
            ps.clearTypesSent();
        }
        if (commands.failIfTransactionLost(p.nextSeq(), false)) {
            return;
        }
        RoutingPipeline routing = commands.context().routing();
        if (routing.hasStatementFilters()) {
            StatementInfo info = ps.analysis();
            if (info == null) {
                info = routing.analyze(ps.sql());
                ps.analysis(info);
            }
            filtered(p, ps, info);
            return;
        }
        run(p, ps);
    }

    /**
     * Statement filters see executions as they see text statements (the prepared text's analysis): reject answers
     * their error, delay re-runs them later on the event loop; a rewrite cannot apply to a prepared statement and
     * is answered with an error. An execution they let through is reported to the result filters when it ends.
     */
    private void filtered(Packet p, PreparedStatement ps, StatementInfo info) {
        RoutingPipeline.Filtered f = commands.context().routing().filter(info, session);
        FilterResult r = f.result();
        switch (r.action()) {
            case REJECT:
                commands.replyError(p.nextSeq(), new MysqlError(r.errorCode(), r.sqlState(), r.message()));
                session.channel().flush();
                commands.done();
                return;
            case REWRITE:
                commands.replyError(p.nextSeq(), new MysqlError(ErrorCodes.NOT_SUPPORTED, "42000", "Junction: "
                        + f.filter() + " rewrote a prepared statement; executions cannot be rewritten"));
                session.channel().flush();
                commands.done();
                return;
            case DELAY:
                session.activity("Execute", "delayed by " + f.filter() + ": " + ps.sql(), null);
                commands.later(p, r.delay(), () -> filtered(p, ps, info));
                return;
            default:
                commands.admitted(info);
                run(p, ps);
        }
    }

    private void run(Packet p, PreparedStatement ps) {
        ByteBuf payload = p.payload();
        session.activity("Execute", ps.sql(), null);
        ServerAddress target = ps.longDataServer() != null && !ps.longDataServer().isClosed()
                ? ps.longDataServer().address() : commands.route(ps.dependsOnLast());
        boolean pinned = ps.longDataServer() != null;
        if (ps.longDataLost()) {
            ps.longDataLost(false);
            commands.replyError(p.nextSeq(), new MysqlError(ErrorCodes.SERVER_GONE, "HY000",
                    "Junction: the server holding this statement's long data went away; send it again"));
            commands.done();
            return;
        }
        boolean plainRead = !pinned && plainRead(ps);
        commands.forwardPayload(p.nextSeq(), payload.retain(), target, ResponseTracker.Kind.EXECUTE, new CallHooks() {
            @Override
            public boolean plainRead() {
                return plainRead;
            }

            @Override
            public List<InternalStep> extraSteps(ServerConnection sc) {
                return prepareSteps(ps, sc);
            }

            @Override
            public ByteBuf beforeSend(ServerConnection sc, ByteBuf out) {
                return rewriteExecute(ps, sc, out);
            }

            @Override
            public void onComplete(ServerConnection sc, ResponseTracker t) {
                ps.longDataServer(null);
                ps.cursorServer(t.cursorOpened() ? sc : null);
                if (t.columnFrames() != null) {
                    ps.columnsSent(sc, t.columnFrames(), true);
                }
            }

            @Override
            public byte[] columnsClientLacks(ServerConnection sc) {
                return ps.columnsClientLacks(sc);
            }
        }, true, !pinned);
    }

    /** Whether executing {@code ps} is a plain read (decided once per prepared statement). */
    private boolean plainRead(PreparedStatement ps) {
        Boolean plain = ps.plainRead();
        if (plain == null) {
            StatementInfo info = ps.analysis() != null ? ps.analysis() : commands.context().routing().analyze(ps.sql());
            plain = dev.junction.core.routing.SafeRead.isPlainRead(info);
            ps.plainRead(plain);
        }
        return plain;
    }

    void fetch(Packet p) {
        PreparedStatement ps = statement(p);
        if (ps == null) {
            return;
        }
        ServerConnection sc = ps.cursorServer();
        if (sc == null || sc.isClosed() || ps.serverId(sc) == null) {
            commands.replyError(p.nextSeq(), new MysqlError(ER_NO_OPEN_CURSOR, "HY000",
                    "The statement (" + ps.id() + ") has no open cursor."));
            commands.done();
            return;
        }
        session.activity("Fetch", ps.sql(), null);
        commands.forwardPayload(p.nextSeq(), p.payload().retain(), sc.address(), ResponseTracker.Kind.FETCH,
                idRewrite(ps), false, false);
    }

    void reset(Packet p) {
        PreparedStatement ps = statement(p);
        if (ps == null) {
            return;
        }
        ServerConnection sc = ps.cursorServer() != null ? ps.cursorServer() : ps.longDataServer();
        ps.longDataLost(false);
        if (sc == null || sc.isClosed() || ps.serverId(sc) == null) {
            ps.cursorServer(null);
            ps.longDataServer(null);
            commands.replyOk(p.nextSeq());
            commands.done();
            return;
        }
        commands.forwardPayload(p.nextSeq(), p.payload().retain(), sc.address(), ResponseTracker.Kind.SINGLE,
                new CallHooks() {
                    @Override
                    public ByteBuf beforeSend(ServerConnection server, ByteBuf out) {
                        return idRewrite(ps).beforeSend(server, out);
                    }

                    @Override
                    public void onComplete(ServerConnection server, ResponseTracker t) {
                        ps.cursorServer(null);
                        ps.longDataServer(null);
                    }
                }, false, false);
    }

    void close(Packet p) {
        ByteBuf payload = p.payload();
        if (payload.readableBytes() < 5) {
            throw new MalformedPacketException("short COM_STMT_CLOSE");
        }
        PreparedStatement ps = session.statements().remove(payload.getUnsignedIntLE(payload.readerIndex() + 1));
        if (ps != null) {
            for (Map.Entry<ServerConnection, Long> e : ps.servers().entrySet()) {
                ServerConnection sc = e.getKey();
                ByteBuf close = sc.channel().alloc().buffer(5).writeByte(Commands.COM_STMT_CLOSE)
                        .writeIntLE(e.getValue().intValue());
                sc.sendWithoutResponse(close);
            }
        }
        commands.done(); // COM_STMT_CLOSE has no answer
    }

    void longData(Packet p) {
        ByteBuf payload = p.payload();
        if (payload.readableBytes() < 7) {
            throw new MalformedPacketException("short COM_STMT_SEND_LONG_DATA");
        }
        PreparedStatement ps = session.statements().get(payload.getUnsignedIntLE(payload.readerIndex() + 1));
        if (ps == null) {
            commands.done(); // no answer to long data; the execution will report the unknown statement
            return;
        }
        ServerConnection pinned = ps.longDataServer();
        ServerAddress target = pinned != null && !pinned.isClosed() ? pinned.address() : commands.route(ps.dependsOnLast());
        ServerConnection sc = session.connection(target);
        ByteBuf data = payload.retain();
        sc.whenReady(err -> {
            if (err != null) {
                data.release();
                ps.longDataLost(true);
                commands.done();
                return;
            }
            StepRunner.run(sc, prepareSteps(ps, sc), e -> {
                data.release();
                ps.longDataLost(true);
                commands.done();
            }, () -> {
                ps.longDataServer(sc);
                sc.sendWithoutResponse(idRewrite(ps).beforeSend(sc, data));
                commands.done();
            });
        });
    }

    private PreparedStatement statement(Packet p) {
        ByteBuf payload = p.payload();
        if (payload.readableBytes() < 5) {
            throw new MalformedPacketException("short statement command");
        }
        long id = payload.getUnsignedIntLE(payload.readerIndex() + 1);
        PreparedStatement ps = session.statements().get(id);
        if (ps == null) {
            commands.replyError(p.nextSeq(), new MysqlError(ErrorCodes.UNKNOWN_STMT_HANDLER, "HY000",
                    "Unknown prepared statement handler (" + id + ") given to " + Commands.name(
                            payload.getUnsignedByte(payload.readerIndex()))));
            commands.done();
        }
        return ps;
    }

    /** Prepares {@code ps} on {@code sc} first when that server does not have it yet. */
    private static List<InternalStep> prepareSteps(PreparedStatement ps, ServerConnection sc) {
        if (ps.serverId(sc) != null) {
            return List.of();
        }
        return List.of(new InternalStep("re-prepare", alloc -> ServerSync.command(alloc, Commands.COM_STMT_PREPARE,
                ps.sql()), ResponseTracker.Kind.PREPARE, (server, t) -> {
                    ps.preparedOn(server, t.prepareStatementId());
                    if (t.columnFrames() != null) {
                        ps.columnsSent(server, t.columnFrames(), false);
                    }
                }));
    }

    private static CallHooks idRewrite(PreparedStatement ps) {
        return new CallHooks() {
            @Override
            public ByteBuf beforeSend(ServerConnection sc, ByteBuf out) {
                Long sid = ps.serverId(sc);
                if (sid == null) {
                    throw new IllegalStateException("statement " + ps.id() + " is not prepared on " + sc.address());
                }
                out.setIntLE(out.readerIndex() + 1, sid.intValue());
                return out;
            }
        };
    }

    /** Server statement id in; parameter types added when this server has not seen the client's latest ones. */
    private static ByteBuf rewriteExecute(PreparedStatement ps, ServerConnection sc, ByteBuf out) {
        out = idRewrite(ps).beforeSend(sc, out);
        int params = ps.params();
        if (params == 0) {
            return out;
        }
        int ri = out.readerIndex();
        int nullBytes = (params + 7) / 8;
        int boundAt = ri + 10 + nullBytes;
        if (out.getByte(boundAt) == 1 || ps.boundTypes() == null) {
            ps.typesSent(sc);
            return out;
        }
        if (ps.typesSentTo(sc)) {
            return out;
        }
        CompositeByteBuf c = sc.channel().alloc().compositeBuffer(3);
        c.addComponent(true, out.retainedSlice(ri, boundAt - ri));
        c.addComponent(true, sc.channel().alloc().buffer(1 + 2 * params).writeByte(1).writeBytes(ps.boundTypes()));
        c.addComponent(true, out.retainedSlice(boundAt + 1, out.writerIndex() - boundAt - 1));
        out.release();
        ps.typesSent(sc);
        return c;
    }
}
