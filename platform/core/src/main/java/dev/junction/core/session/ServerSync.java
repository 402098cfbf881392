package dev.junction.core.session;

import dev.junction.core.protocol.Commands;
import dev.junction.core.protocol.ResponseTracker;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a server connection needs before it runs the session's next statement, in order: current database,
 * session system variables, user variables, the multi-statement option, a held BEGIN.
 */
public final class ServerSync {

    private ServerSync() {
    }

    public static List<InternalStep> steps(ClientSession s, ServerConnection sc) {
        String db = s.currentDatabase();
        long stamp = s.variables().stamp();
        boolean dbSynced = db == null || db.equals(sc.database);
        if (dbSynced && sc.variablesStamp == stamp && s.multiStatementsOff() == sc.multiStatementsOff
                && s.heldBegin() == null) {
            return List.of(); // the common case, without allocation or a walk over the variables
        }
        List<InternalStep> steps = new ArrayList<>();
        if (!dbSynced) {
            steps.add(new InternalStep("USE " + db, alloc -> command(alloc, Commands.COM_INIT_DB, db),
                    ResponseTracker.Kind.SINGLE, (server, t) -> server.database = db));
        }
        List<SessionVariables.Entry> pending = s.variables().pending(sc.appliedVariables);
        if (pending.isEmpty()) {
            sc.variablesStamp = stamp;
        }
        List<SessionVariables.Entry> combined = new ArrayList<>();
        for (SessionVariables.Entry e : pending) {
            if (e.assignment().standalone()) {
                steps.add(setStep(List.of(e)));
            } else {
                combined.add(e);
            }
        }
        if (!combined.isEmpty()) {
            steps.add(setStep(combined));
        }
        boolean off = s.multiStatementsOff();
        if (off != sc.multiStatementsOff) {
            steps.add(new InternalStep("COM_SET_OPTION", alloc -> alloc.buffer(3).writeByte(Commands.COM_SET_OPTION)
                    .writeShortLE(off ? 1 : 0), ResponseTracker.Kind.SINGLE, (server, t) -> server.multiStatementsOff = off));
        }
        String begin = s.heldBegin();
        if (begin != null) {
            steps.add(new InternalStep(begin, alloc -> command(alloc, Commands.COM_QUERY, begin), ResponseTracker.Kind.QUERY,
                    (server, t) -> {
                        s.heldBegin(null);
                        s.observeStatus(server, t.lastStatus());
                    }));
        }
        return steps;
    }

    private static InternalStep setStep(List<SessionVariables.Entry> entries) {
        StringBuilder sql = new StringBuilder("SET ");
        for (int i = 0; i < entries.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(entries.get(i).assignment().sql());
        }
        String text = sql.toString();
        return new InternalStep(text, alloc -> command(alloc, Commands.COM_QUERY, text), ResponseTracker.Kind.QUERY,
                (server, t) -> markApplied(server, entries));
    }

    /** Records that {@code sc} now has these variable versions. */
    public static void markApplied(ServerConnection sc, List<SessionVariables.Entry> entries) {
        for (SessionVariables.Entry e : entries) {
            sc.appliedVariables.put(e.assignment().key(), e.version());
        }
    }

    public static void database(ServerConnection sc, String db) {
        sc.database = db;
    }

    /** A command with text; statement text is kept byte for byte, so Junction handles it as ISO-8859-1. */
    public static ByteBuf command(ByteBufAllocator alloc, int command, String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        return alloc.buffer(1 + b.length).writeByte(command).writeBytes(b);
    }
}
