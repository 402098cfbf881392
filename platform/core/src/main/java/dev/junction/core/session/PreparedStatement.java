package dev.junction.core.session;

import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A statement the client prepared, under Junction's own id. Each server that runs it gets it prepared
 * there first; the server's id is kept per connection.
 */
public final class PreparedStatement {

    private final long id;
    private final String sql;
    private final int params;
    private final boolean dependsOnLast;
    private dev.junction.api.statement.StatementInfo analysis;
    /** Whether the statement is a plain read (see SafeRead), decided on first need; null until then. */
    private Boolean plainRead;
    private final Map<ServerConnection, Long> serverIds = new IdentityHashMap<>();
    /*
     * Column definitions (wire frames) for clients that cache metadata: what the client holds, and what each server
     * last sent for the statement. A server leaves them out when they did not change since it last sent them; if the
     * client got different ones from another server meanwhile, Junction puts that server's back in.
     */
    private byte[] clientColumns;
    private final Map<ServerConnection, byte[]> serverColumns = new IdentityHashMap<>();
    private final Set<ServerConnection> typesSent = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    /*
     * The last hits of the two lookups above: executions mostly go to the same server, and a field of this
     * object is at hand where a map's table and entries are not.
     */
    private ServerConnection recentServer;
    private Long recentServerId;
    private ServerConnection recentTypesServer;
    private byte[] boundTypes;
    /** The server that has an open cursor for it (FETCH goes there). */
    ServerConnection cursorServer;
    /** The server that holds long data sent for the next execution. */
    ServerConnection longDataServer;
    private boolean longDataLost;

    public PreparedStatement(long id, String sql, int params, boolean dependsOnLast) {
        this.id = id;
        this.sql = sql;
        this.params = params;
        this.dependsOnLast = dependsOnLast;
    }

    public long id() {
        return id;
    }

    /** The analysis of {@link #sql()} for statement filters, made on the first execution they see (or null). */
    public dev.junction.api.statement.StatementInfo analysis() {
        return analysis;
    }

    public void analysis(dev.junction.api.statement.StatementInfo info) {
        this.analysis = info;
    }

    public Boolean plainRead() {
        return plainRead;
    }

    public void plainRead(boolean plain) {
        this.plainRead = plain;
    }

    public String sql() {
        return sql;
    }

    public int params() {
        return params;
    }

    public boolean dependsOnLast() {
        return dependsOnLast;
    }

    public Long serverId(ServerConnection sc) {
        if (sc == recentServer) {
            return recentServerId;
        }
        Long id = serverIds.get(sc);
        if (id != null) {
            recentServer = sc;
            recentServerId = id;
        }
        return id;
    }

    public void preparedOn(ServerConnection sc, long serverId) {
        serverIds.put(sc, serverId);
        if (sc == recentServer) {
            recentServerId = serverId;
        }
    }

    /** The servers that have the statement and its id on each (a read-only view). */
    public Map<ServerConnection, Long> servers() {
        return java.util.Collections.unmodifiableMap(serverIds);
    }

    /** The parameter types (2 bytes each) last bound by the client. */
    public byte[] boundTypes() {
        return boundTypes;
    }

    public void boundTypes(byte[] types) {
        this.boundTypes = types;
    }

    public boolean typesSentTo(ServerConnection sc) {
        if (sc == recentTypesServer) {
            return true;
        }
        if (typesSent.contains(sc)) {
            recentTypesServer = sc;
            return true;
        }
        return false;
    }

    public void typesSent(ServerConnection sc) {
        typesSent.add(sc);
    }

    /** The client bound new types: every server must get them again. */
    public void clearTypesSent() {
        typesSent.clear();
        recentTypesServer = null;
    }

    /** Long data was sent to a server that went away before the execution. */
    public boolean longDataLost() {
        return longDataLost;
    }

    public void longDataLost(boolean lost) {
        longDataLost = lost;
    }

    public ServerConnection cursorServer() {
        return cursorServer;
    }

    public void cursorServer(ServerConnection sc) {
        cursorServer = sc;
    }

    public ServerConnection longDataServer() {
        return longDataServer;
    }

    public void longDataServer(ServerConnection sc) {
        longDataServer = sc;
    }

    /** A server sent these column definitions (a prepare's answer or an execution's); the client got them if relayed. */
    public void columnsSent(ServerConnection sc, byte[] columns, boolean relayed) {
        serverColumns.put(sc, columns);
        if (relayed) {
            clientColumns = columns;
        }
    }

    /**
     * {@code sc} left the column definitions out: the ones it last sent when the client holds different ones (the
     * client gets them now), else null.
     */
    public byte[] columnsClientLacks(ServerConnection sc) {
        byte[] server = serverColumns.get(sc);
        if (server == null || server == clientColumns || java.util.Arrays.equals(server, clientColumns)) {
            return null;
        }
        clientColumns = server;
        return server;
    }

    /** Forgets a closed server connection. */
    public void forget(ServerConnection sc) {
        serverIds.remove(sc);
        serverColumns.remove(sc);
        typesSent.remove(sc);
        if (recentServer == sc) {
            recentServer = null;
            recentServerId = null;
        }
        if (recentTypesServer == sc) {
            recentTypesServer = null;
        }
        if (cursorServer == sc) {
            cursorServer = null;
        }
        if (longDataServer == sc) {
            longDataServer = null;
        }
    }

    Set<ServerConnection> serverSet() {
        return new HashSet<>(serverIds.keySet());
    }
}
