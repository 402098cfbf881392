package dev.junction.core.admin;

import dev.junction.core.protocol.Commands;
import dev.junction.core.protocol.ErrorCodes;
import dev.junction.core.protocol.Packet;
import dev.junction.core.protocol.Packets;
import dev.junction.core.protocol.ResultSetWriter;
import dev.junction.core.session.ClientSession;
import dev.junction.core.session.SessionRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a {@code root@proxysys} session: every command is answered by {@link AdminService}, as MySQL text
 * result sets, OK or ERR packets. Nothing reaches a database server.
 */
final class AdminSqlHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(AdminSqlHandler.class);
    private static final int STATUS_AUTOCOMMIT = 0x0002;

    private final AdminService admin;
    private final ClientSession session;
    private final SessionRegistry sessions;

    AdminSqlHandler(AdminService admin, ClientSession session, SessionRegistry sessions) {
        this.admin = admin;
        this.session = session;
        this.sessions = sessions;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Packet)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        Packet p = (Packet) msg;
        try {
            handle(ctx.channel(), p);
        } catch (RuntimeException e) {
            LOG.warn("Admin session {}: {}", session.id(), e.toString());
            Packets.write(ctx.channel(), p.nextSeq(), Packets.err(ctx.alloc(), 1105, "HY000", "Junction: " + e));
        } finally {
            p.release();
        }
    }

    private void handle(Channel ch, Packet p) {
        ByteBuf payload = p.payload();
        if (!payload.isReadable()) {
            return;
        }
        int cmd = payload.getUnsignedByte(payload.readerIndex());
        int seq = p.nextSeq();
        switch (cmd) {
            case Commands.COM_QUIT:
                ch.close();
                return;
            case Commands.COM_PING:
            case Commands.COM_INIT_DB:
            case Commands.COM_RESET_CONNECTION:
                Packets.write(ch, seq, Packets.ok(ch.alloc(), 0, 0, STATUS_AUTOCOMMIT, 0));
                return;
            case Commands.COM_SET_OPTION:
                Packets.write(ch, seq, Packets.eof(ch.alloc(), STATUS_AUTOCOMMIT, 0));
                return;
            case Commands.COM_QUERY:
                int from = payload.readerIndex() + 1;
                String sql = payload.toString(from, payload.writerIndex() - from, StandardCharsets.UTF_8);
                session.activity("Query", sql.length() > 1024 ? sql.substring(0, 1024) : sql, null);
                // commands may block (files, metadata fetches): run them off the event loop, one at a time
                ch.config().setAutoRead(false);
                try {
                    admin.executor().execute(() -> {
                        AdminResult r = admin.execute(sql);
                        ch.eventLoop().execute(() -> {
                            write(ch, seq, r, session.cachesMetadata());
                            ch.flush();
                            session.activity("Sleep", null, null);
                            ch.config().setAutoRead(true);
                        });
                    });
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    Packets.write(ch, seq, Packets.err(ch.alloc(), 1053, "08S01", "Junction is shutting down"));
                    ch.config().setAutoRead(true);
                }
                return;
            default:
                Packets.write(ch, seq, Packets.err(ch.alloc(), ErrorCodes.UNKNOWN_COM, "08S01",
                        "root@proxysys supports text queries only"));
        }
    }

    static void write(Channel ch, int seq, AdminResult r, boolean metadataFlag) {
        if (r.isError()) {
            Packets.write(ch, seq, Packets.err(ch.alloc(), r.errorCode(), r.sqlState(), r.message()));
        } else if (r.isTable()) {
            List<ResultSetWriter.Column> cols = new ArrayList<>();
            for (String c : r.columns()) {
                cols.add(new ResultSetWriter.Column(c, false));
            }
            ResultSetWriter.write(ch, seq, cols, r.rows(), STATUS_AUTOCOMMIT, metadataFlag);
        } else {
            Packets.write(ch, seq, Packets.ok(ch.alloc(), STATUS_AUTOCOMMIT, r.message()));
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        sessions.remove(session);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("Admin session {}: {}", session.id(), cause.toString());
        ctx.close();
    }
}
