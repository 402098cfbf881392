package dev.junction.core.session;

import dev.junction.api.session.SessionInfo;
import dev.junction.api.topology.ServerAddress;
import dev.junction.core.auth.Account;
import dev.junction.core.cluster.TenantConfig;
import dev.junction.core.protocol.ServerStatus;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One logged-in client: who it is, the session state it built (database, variables, transaction,
 * prepared statements) and its server connections (at most one per server, opened lazily on the client
 * channel's event loop). Mutable state is touched only on that event loop; fields SHOW PROCESSLIST reads
 * from other threads are volatile.
 */
public final class ClientSession implements SessionInfo {

    private static final int MAX_INFO_BYTES = 1024;

    private final long id;
    private final Channel channel;
    private final ServerTimeouts timeouts;
    private final long connectedMillis = System.currentTimeMillis();

    private volatile Account account;
    private volatile TenantConfig tenant;
    private byte[] stage1;
    private int clientCapabilities;
    private boolean cachesMetadata;
    private int collation;
    private volatile String database;

    private final SessionVariables variables = new SessionVariables();
    private final PreparedStatements statements = new PreparedStatements();
    private final Map<ServerAddress, ServerConnection> servers = new LinkedHashMap<>();
    private ServerConnectionListener serverListener = ServerConnectionListener.NONE;

    private volatile String heldBegin;
    private volatile ServerConnection transactionServer;
    /** Why the open transaction was lost while the client was idle (its next statement fails), or null. */
    private String transactionLost;
    private ServerConnection lastServer;
    private boolean autocommit = true;
    private boolean multiStatementsOff;

    // What SHOW PROCESSLIST shows: written on the event loop with release stores (up to ten per statement, and a
    // volatile store costs a fence each), read from other threads with acquire loads.
    private String command = "Sleep";
    /** A String, or the UTF-8 bytes of the statement text (decoded only when read). */
    private Object info;
    private long stateSinceMillis = CoarseClock.millis();
    private ServerConnection running;

    private static final VarHandle COMMAND;
    private static final VarHandle INFO;
    private static final VarHandle STATE_SINCE;
    private static final VarHandle RUNNING;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            COMMAND = l.findVarHandle(ClientSession.class, "command", String.class);
            INFO = l.findVarHandle(ClientSession.class, "info", Object.class);
            STATE_SINCE = l.findVarHandle(ClientSession.class, "stateSinceMillis", long.class);
            RUNNING = l.findVarHandle(ClientSession.class, "running", ServerConnection.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public ClientSession(long id, Channel channel, ServerTimeouts timeouts) {
        this.id = id;
        this.channel = channel;
        this.timeouts = timeouts;
    }

    /** Sets who is logged in (at login and COM_CHANGE_USER). */
    public void login(Account account, byte[] stage1, TenantConfig tenant, int clientCapabilities, int collation,
            String database) {
        this.account = account;
        this.stage1 = stage1;
        this.tenant = tenant;
        this.clientCapabilities = clientCapabilities;
        this.collation = collation;
        this.database = database;
    }

    public void serverListener(ServerConnectionListener l) {
        this.serverListener = l;
    }

    @Override
    public long id() {
        return id;
    }

    public Channel channel() {
        return channel;
    }

    public Account account() {
        return account;
    }

    public TenantConfig tenantConfig() {
        return tenant;
    }

    public int clientCapabilities() {
        return clientCapabilities;
    }

    /**
     * Whether the client negotiated MariaDB's metadata caching: its column counts carry a "metadata follows" byte
     * and it keeps each prepared statement's column definitions until new ones come.
     */
    public boolean cachesMetadata() {
        return cachesMetadata;
    }

    /** Set once at login (COM_CHANGE_USER keeps the capabilities of the connection). */
    public void cachesMetadata(boolean caches) {
        this.cachesMetadata = caches;
    }

    public long connectedMillis() {
        return connectedMillis;
    }

    @Override
    public String user() {
        Account a = account;
        return a == null ? "unauthenticated" : a.user();
    }

    @Override
    public String tenant() {
        TenantConfig t = tenant;
        return t == null ? "" : t.name();
    }

    @Override
    public String cluster() {
        TenantConfig t = tenant;
        return t == null ? "" : t.cluster();
    }

    @Override
    public InetSocketAddress clientAddress() {
        return (InetSocketAddress) channel.remoteAddress();
    }

    @Override
    public Optional<String> database() {
        return Optional.ofNullable(database);
    }

    public String currentDatabase() {
        return database;
    }

    public void currentDatabase(String db) {
        this.database = db;
    }

    @Override
    public boolean inTransaction() {
        return heldBegin != null || transactionServer != null;
    }

    @Override
    public Optional<String> systemVariable(String name) {
        return variables.expression(name.toLowerCase(java.util.Locale.ROOT));
    }

    @Override
    public Optional<String> userVariable(String name) {
        return variables.expression(name.startsWith("@") ? name : "@" + name);
    }

    public SessionVariables variables() {
        return variables;
    }

    public PreparedStatements statements() {
        return statements;
    }

    /** A BEGIN / START TRANSACTION held until the first statement of the transaction, or null. */
    public String heldBegin() {
        return heldBegin;
    }

    public void heldBegin(String sql) {
        this.heldBegin = sql;
    }

    /** The server the open transaction runs on, or null. */
    public ServerConnection transactionServer() {
        return transactionServer;
    }

    /** Why the client's transaction was lost (its server connection closed between statements), or null. */
    public String transactionLost() {
        return transactionLost;
    }

    public void transactionLost(String why) {
        this.transactionLost = why;
    }

    /** The transaction's server connection failed during a statement whose error tells the client so. */
    public void forgetTransaction() {
        transactionServer = null;
    }

    public ServerConnection lastServer() {
        return lastServer;
    }

    public boolean multiStatementsOff() {
        return multiStatementsOff;
    }

    public void multiStatementsOff(boolean off) {
        this.multiStatementsOff = off;
    }

    /** Status flags for an answer Junction gives itself. */
    public int status() {
        return (inTransaction() ? ServerStatus.IN_TRANS : 0) | (autocommit ? ServerStatus.AUTOCOMMIT : 0);
    }

    /** Learns from a server's final OK/EOF status: whether a transaction is open there, autocommit. */
    public void observeStatus(ServerConnection sc, int status) {
        lastServer = sc;
        if (status < 0) {
            return;
        }
        autocommit = (status & ServerStatus.AUTOCOMMIT) != 0;
        if ((status & ServerStatus.IN_TRANS) != 0) {
            transactionServer = sc;
        } else if (transactionServer == sc) {
            transactionServer = null;
        }
    }

    public void lastServer(ServerConnection sc) {
        lastServer = sc;
    }

    /** The connection to {@code address}, created (not yet connected) when there is none. */
    public ServerConnection connection(ServerAddress address) {
        ServerConnection sc = servers.get(address);
        if (sc == null || sc.isClosed()) {
            sc = new ServerConnection(address, channel.eventLoop(), serverLogin(), timeouts, new Listener());
            servers.put(address, sc);
        }
        return sc;
    }

    public ServerLogin serverLogin() {
        return new ServerLogin(account.user(), stage1, collation, clientCapabilities, database, cachesMetadata);
    }

    public List<ServerConnection> connections() {
        return new ArrayList<>(servers.values());
    }

    /** Closes every server connection and forgets the session state (COM_RESET_CONNECTION, COM_CHANGE_USER). */
    public void reset() {
        closeServers(null);
        variables.clear();
        statements.clear();
        heldBegin = null;
        transactionServer = null;
        transactionLost = null;
        lastServer = null;
        autocommit = true;
        multiStatementsOff = false;
    }

    public void closeServers(Throwable cause) {
        for (ServerConnection sc : new ArrayList<>(servers.values())) {
            sc.close(cause);
        }
        servers.clear();
    }

    // What SHOW PROCESSLIST shows.

    public void activity(String command, String info, ServerConnection running) {
        COMMAND.setRelease(this, command);
        INFO.setRelease(this, info);
        RUNNING.setRelease(this, running);
        STATE_SINCE.setRelease(this, CoarseClock.millis());
    }

    /**
     * Like {@link #activity}, with the info being (at most 1024 bytes of) statement text in UTF-8. Returns the
     * copy (the caller may read it, not change it).
     */
    public byte[] activity(String command, ByteBuf text, int from, int end) {
        byte[] b = new byte[Math.max(0, Math.min(end - from, MAX_INFO_BYTES))];
        text.getBytes(from, b);
        COMMAND.setRelease(this, command);
        INFO.setRelease(this, b);
        RUNNING.setRelease(this, null);
        STATE_SINCE.setRelease(this, CoarseClock.millis());
        return b;
    }

    public void runningOn(ServerConnection sc) {
        RUNNING.setRelease(this, sc);
    }

    public String command() {
        return (String) COMMAND.getAcquire(this);
    }

    public String info() {
        Object i = INFO.getAcquire(this);
        return i instanceof byte[] ? new String((byte[]) i, StandardCharsets.UTF_8) : (String) i;
    }

    public long stateSinceMillis() {
        return (long) STATE_SINCE.getAcquire(this);
    }

    /** The server connection running the current statement, or null. */
    public ServerConnection running() {
        return (ServerConnection) RUNNING.getAcquire(this);
    }

    private final class Listener implements ServerConnectionListener {
        @Override
        public void closed(ServerConnection server) {
            if (servers.get(server.address()) == server) {
                servers.remove(server.address());
            }
            statements.forget(server);
            if (lastServer == server) {
                lastServer = null;
            }
            serverListener.closed(server);
            if (transactionServer == server) {
                // between statements: the client does not know yet; its next statement fails (see QueryCommands)
                transactionServer = null;
                Throwable cause = server.closeCause();
                transactionLost = cause != null && cause.getMessage() != null ? cause.getMessage()
                        : "connection to " + server.address() + " closed";
            }
        }

        @Override
        public void readBatchComplete(ServerConnection server) {
            serverListener.readBatchComplete(server);
        }

        @Override
        public void writabilityChanged(ServerConnection server, boolean writable) {
            serverListener.writabilityChanged(server, writable);
        }
    }
}
