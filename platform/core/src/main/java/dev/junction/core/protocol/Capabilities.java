package dev.junction.core.protocol;

/**
 * Client/server capability flags of the MySQL protocol.
 *
 * <p>Deprecate-EOF decision: Junction never offers {@link #DEPRECATE_EOF} to clients and never asks a
 * server for it, so every result set on both sides ends with a classic EOF packet and responses can be
 * relayed unchanged.
 */
public final class Capabilities {

    public static final int LONG_PASSWORD = 0x00000001;
    /**
     * The same bit as {@link #LONG_PASSWORD}: MariaDB servers and clients leave it clear to say that the last 4 of the
     * reserved handshake bytes carry MariaDB's extended capabilities.
     */
    public static final int CLIENT_MYSQL = LONG_PASSWORD;
    public static final int FOUND_ROWS = 0x00000002;
    public static final int LONG_FLAG = 0x00000004;
    public static final int CONNECT_WITH_DB = 0x00000008;
    public static final int NO_SCHEMA = 0x00000010;
    public static final int COMPRESS = 0x00000020;
    public static final int ODBC = 0x00000040;
    public static final int LOCAL_FILES = 0x00000080;
    public static final int IGNORE_SPACE = 0x00000100;
    public static final int PROTOCOL_41 = 0x00000200;
    public static final int INTERACTIVE = 0x00000400;
    public static final int SSL = 0x00000800;
    public static final int TRANSACTIONS = 0x00002000;
    public static final int SECURE_CONNECTION = 0x00008000;
    public static final int MULTI_STATEMENTS = 0x00010000;
    public static final int MULTI_RESULTS = 0x00020000;
    public static final int PS_MULTI_RESULTS = 0x00040000;
    public static final int PLUGIN_AUTH = 0x00080000;
    public static final int CONNECT_ATTRS = 0x00100000;
    public static final int PLUGIN_AUTH_LENENC_CLIENT_DATA = 0x00200000;
    public static final int SESSION_TRACK = 0x00800000;
    public static final int DEPRECATE_EOF = 0x01000000;

    /**
     * MariaDB extended capability (bit 36 of MariaDB's 64-bit flags, bit 4 of the extended word): the server
     * leaves out a prepared statement's column definitions when the client already has them, and every column
     * count packet carries a "metadata follows" byte.
     */
    public static final int MARIADB_CACHE_METADATA = 1 << 4;

    /** MariaDB extended capabilities Junction offers clients (when {@code mariadb_cache_metadata} is on). */
    public static final int MARIADB_OFFERED_TO_CLIENTS = MARIADB_CACHE_METADATA;

    /** What Junction offers clients (plus {@link #SSL} when a certificate is configured). */
    public static final int OFFERED_TO_CLIENTS = LONG_PASSWORD | FOUND_ROWS | LONG_FLAG | CONNECT_WITH_DB | LOCAL_FILES
            | IGNORE_SPACE | PROTOCOL_41 | INTERACTIVE | TRANSACTIONS | SECURE_CONNECTION | MULTI_STATEMENTS
            | MULTI_RESULTS | PS_MULTI_RESULTS | PLUGIN_AUTH | CONNECT_ATTRS | PLUGIN_AUTH_LENENC_CLIENT_DATA;

    /** Client flags that change server behaviour and are therefore passed on to servers when the client set them. */
    public static final int MIRRORED_TO_SERVERS = FOUND_ROWS | IGNORE_SPACE | INTERACTIVE | LOCAL_FILES | MULTI_STATEMENTS
            | MULTI_RESULTS | PS_MULTI_RESULTS;

    /** Flags Junction always asks servers for. */
    public static final int ALWAYS_TO_SERVERS = LONG_PASSWORD | LONG_FLAG | PROTOCOL_41 | TRANSACTIONS | SECURE_CONNECTION
            | PLUGIN_AUTH;

    private Capabilities() {
    }
}
