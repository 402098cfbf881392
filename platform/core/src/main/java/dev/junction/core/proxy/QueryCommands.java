package dev.junction.core.proxy;

import dev.junction.core.protocol.Packet;
import dev.junction.core.protocol.ResponseTracker;
import dev.junction.core.session.ClientSession;
import dev.junction.core.session.ServerConnection;
import dev.junction.core.session.ServerSync;
import dev.junction.core.session.SessionVariables;
import dev.junction.core.sql.SqlCommand;
import dev.junction.core.sql.StatementClassifier;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * COM_QUERY and COM_INIT_DB: transaction control (BEGIN held until the first statement, COMMIT/ROLLBACK
 * answered locally when no server has a transaction), session SET and USE (recorded once a server
 * accepted them), SHOW PROCESSLIST and KILL (Junction's own sessions), everything else forwarded.
 */
final class QueryCommands {

    private final CommandHandler commands;
    private final ClientSession session;

    QueryCommands(CommandHandler commands) {
        this.commands = commands;
        this.session = commands.session();
    }

    void query(Packet p) {
        ByteBuf payload = p.payload();
        int from = payload.readerIndex() + 1;
        int end = payload.writerIndex();
        session.activity("Query", payload, from, end);
        SqlCommand common = StatementClassifier.classifyCommon(payload, from, end);
        SqlCommand c = common != null ? common
                : StatementClassifier.classify(payload.toString(from, end - from, StandardCharsets.ISO_8859_1));
        ServerConnection tx = session.transactionServer();
        switch (c.kind()) {
            case BEGIN:
                if (tx != null) {
                    commands.forward(p, tx.address(), ResponseTracker.Kind.QUERY, CallHooks.NONE, false);
                } else {
                    session.heldBegin(c.text());
                    commands.replyOk(p.nextSeq());
                    commands.done();
                }
                return;
            case COMMIT:
            case ROLLBACK:
                if (tx != null) {
                    commands.forward(p, tx.address(), ResponseTracker.Kind.QUERY, CallHooks.NONE, false);
                } else {
                    session.heldBegin(null);
                    commands.replyOk(p.nextSeq());
                    commands.done();
                }
                return;
            case USE:
                useDatabase(p, c.argument());
                return;
            case SET_SESSION:
                commands.forward(p, commands.routeSessionStatement(), ResponseTracker.Kind.QUERY, new CallHooks() {
                    @Override
                    public void onComplete(ServerConnection sc, ResponseTracker t) {
                        if (t.error() == null) {
                            List<SessionVariables.Entry> entries = session.variables().apply(c.assignments());
                            ServerSync.markApplied(sc, entries);
                        }
                    }
                }, true);
                return;
            case SHOW_PROCESSLIST:
                commands.admin().processList(p.nextSeq(), c.flag());
                return;
            case KILL:
                commands.admin().kill(p.nextSeq(), Long.parseLong(c.argument()), c.flag());
                return;
            default:
                commands.forward(p, commands.route(c.dependsOnLast()), ResponseTracker.Kind.QUERY, CallHooks.NONE, true);
        }
    }

    void initDb(Packet p) {
        ByteBuf payload = p.payload();
        int from = payload.readerIndex() + 1;
        String db = payload.toString(from, payload.writerIndex() - from, StandardCharsets.ISO_8859_1);
        session.activity("Init DB", db, null);
        commands.forward(p, commands.routeSessionStatement(), ResponseTracker.Kind.SINGLE, databaseHook(db), true);
    }

    private void useDatabase(Packet p, String db) {
        commands.forward(p, commands.routeSessionStatement(), ResponseTracker.Kind.QUERY, databaseHook(db), true);
    }

    private CallHooks databaseHook(String db) {
        return new CallHooks() {
            @Override
            public void onComplete(ServerConnection sc, ResponseTracker t) {
                if (t.error() == null) {
                    session.currentDatabase(db);
                    ServerSync.database(sc, db);
                }
            }
        };
    }
}
