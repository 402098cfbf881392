package dev.junction.core.proxy;

import dev.junction.core.protocol.ErrorCodes;
import dev.junction.core.protocol.MysqlError;
import dev.junction.core.protocol.ResultSetWriter;
import dev.junction.core.protocol.ResultSetWriter.Column;
import dev.junction.core.session.ClientSession;
import dev.junction.core.session.ServerConnection;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * SHOW PROCESSLIST and KILL over Junction's own sessions. A client sees and may kill the sessions of its
 * own account (user, tenant, cluster). KILL QUERY reaches the server running the target's statement
 * through a separate short-lived connection.
 */
final class AdminCommands {

    private static final List<Column> PROCESSLIST = List.of(new Column("Id", true), new Column("User", false),
            new Column("Host", false), new Column("db", false), new Column("Command", false), new Column("Time", true),
            new Column("State", false), new Column("Info", false));

    private final CommandHandler commands;
    private final ClientSession session;

    AdminCommands(CommandHandler commands) {
        this.commands = commands;
        this.session = commands.session();
    }

    void processList(int seq, boolean full) {
        long now = System.currentTimeMillis();
        List<List<String>> rows = new ArrayList<>();
        for (ClientSession s : commands.context().sessions().all()) {
            if (!sameAccount(s)) {
                continue;
            }
            String info = s == session ? (full ? "SHOW FULL PROCESSLIST" : "SHOW PROCESSLIST") : s.info();
            if (info != null && !full && info.length() > 100) {
                info = info.substring(0, 100);
            }
            ServerConnection running = s.running();
            InetSocketAddress a = s.clientAddress();
            rows.add(Arrays.asList(Long.toString(s.id()), s.user(),
                    a == null ? "" : a.getAddress().getHostAddress() + ":" + a.getPort(),
                    s.database().orElse(null), s == session ? "Query" : s.command(),
                    Long.toString(Math.max(0, (now - s.stateSinceMillis()) / 1000)),
                    running == null ? "" : "running on " + running.address(), info));
        }
        ResultSetWriter.write(session.channel(), seq, PROCESSLIST, rows, session.status(), session.cachesMetadata());
        commands.done();
    }

    void kill(int seq, long id, boolean queryOnly) {
        ClientSession target = commands.context().sessions().get(id);
        if (target == null) {
            commands.replyError(seq, new MysqlError(ErrorCodes.NO_SUCH_THREAD, "HY000", "Unknown thread id: " + id));
            commands.done();
            return;
        }
        if (!sameAccount(target)) {
            commands.replyError(seq, new MysqlError(ErrorCodes.KILL_DENIED, "HY000", "You are not owner of thread " + id));
            commands.done();
            return;
        }
        if (!queryOnly) {
            if (target == session) {
                commands.replyError(seq, new MysqlError(ErrorCodes.CONNECTION_KILLED, "70100", "Connection was killed"));
                session.channel().flush();
                commands.closeClient();
                return;
            }
            target.channel().close();
            commands.replyOk(seq);
            commands.done();
            return;
        }
        Channel me = session.channel();
        target.channel().eventLoop().execute(() -> {
            ServerConnection sc = target.running();
            if (sc == null || !sc.isBusy()) {
                me.eventLoop().execute(() -> answerKill(seq, null));
                return;
            }
            KillQuery.send(sc, commands.context().serverTimeouts(),
                    err -> me.eventLoop().execute(() -> answerKill(seq, err)));
        });
    }

    private void answerKill(int seq, Throwable err) {
        if (err == null) {
            commands.replyOk(seq);
        } else {
            commands.replyError(seq, ServerCall.toError(err, false));
        }
        session.channel().flush();
        commands.done();
    }

    private boolean sameAccount(ClientSession other) {
        return other.account() != null && session.account() != null && other.account().key().equals(session.account().key());
    }
}
