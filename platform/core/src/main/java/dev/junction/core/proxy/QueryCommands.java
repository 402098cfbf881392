package dev.junction.core.proxy;

import dev.junction.api.filter.FilterResult;
import dev.junction.api.statement.StatementInfo;
import dev.junction.core.protocol.Commands;
import dev.junction.core.protocol.MysqlError;
import dev.junction.core.protocol.Packet;
import dev.junction.core.protocol.ResponseTracker;
import dev.junction.core.routing.RoutingPipeline;
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
        if (commands.context().routing().hasStatementFilters()) {
            filtered(p);
            return;
        }
        run(p, null);
    }

    /**
     * Statement filters first: reject answers with their error, delay re-runs the filters later on the event loop
     * (the session's next commands wait, nothing blocks, the analysis is kept), rewrite replaces the statement
     * text. A statement they let through is reported to the result filters exactly once when it ends.
     */
    private void filtered(Packet p) {
        RoutingPipeline routing = commands.context().routing();
        ByteBuf payload = p.payload();
        int from = payload.readerIndex() + 1;
        filtered(p, routing.analyze(payload.toString(from, payload.writerIndex() - from, StandardCharsets.UTF_8)));
    }

    private void filtered(Packet p, StatementInfo info) {
        RoutingPipeline routing = commands.context().routing();
        RoutingPipeline.Filtered f = routing.filter(info, session);
        FilterResult r = f.result();
        switch (r.action()) {
            case REJECT:
                commands.replyError(p.nextSeq(), new MysqlError(r.errorCode(), r.sqlState(), r.message()));
                session.channel().flush();
                commands.done();
                return;
            case DELAY:
                ByteBuf payload = p.payload();
                session.activity("Query", "delayed by " + f.filter() + ": "
                        + CommandHandler.display(payload, payload.readerIndex() + 1), null);
                commands.later(p, r.delay(), () -> filtered(p, info));
                return;
            case REWRITE:
                ByteBuf rewritten = session.channel().alloc().buffer(r.sql().length() + 1);
                rewritten.writeByte(Commands.COM_QUERY);
                rewritten.writeCharSequence(r.sql(), StandardCharsets.UTF_8);
                Packet np = new Packet(p.seq(), p.frames(), rewritten);
                try {
                    StatementInfo again = routing.analyze(r.sql());
                    commands.admitted(again);
                    run(np, again);
                } finally {
                    np.release();
                }
                return;
            default:
                commands.admitted(info);
                run(p, info);
        }
    }

    private void run(Packet p, StatementInfo info) {
        ByteBuf payload = p.payload();
        int from = payload.readerIndex() + 1;
        int end = payload.writerIndex();
        byte[] head = session.activity("Query", payload, from, end);
        // the copy made for SHOW PROCESSLIST serves the classifier too when it holds the whole statement
        SqlCommand common = head.length == end - from ? StatementClassifier.classifyCommon(head)
                : StatementClassifier.classifyCommon(payload, from, end);
        SqlCommand c = common != null ? common
                : StatementClassifier.classify(payload.toString(from, end - from, StandardCharsets.ISO_8859_1));
        if (commands.failIfTransactionLost(p.nextSeq(), c.kind() == SqlCommand.Kind.ROLLBACK)) {
            return;
        }
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
                commands.forwardQuery(p, c, info);
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
