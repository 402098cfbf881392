package dev.junction.core.protocol;

/** MySQL error codes and SQL states Junction answers with itself. */
public final class ErrorCodes {

    public static final int ACCESS_DENIED = 1045;             // 28000
    public static final int BAD_DB = 1049;                    // 42000
    public static final int UNKNOWN_COM = 1047;               // 08S01
    public static final int HANDSHAKE_ERROR = 1043;           // 08S01
    public static final int NET_PACKET_TOO_LARGE = 1153;      // 08S01
    public static final int NET_PACKETS_OUT_OF_ORDER = 1156;  // 08S01
    public static final int NET_READ_INTERRUPTED = 1159;      // 08S01
    public static final int NO_SUCH_THREAD = 1094;            // HY000
    public static final int KILL_DENIED = 1095;               // HY000
    public static final int UNKNOWN_STMT_HANDLER = 1243;      // HY000
    public static final int MALFORMED_PACKET = 1835;          // HY000
    public static final int CONNECTION_KILLED = 1927;         // 70100
    public static final int SERVER_GONE = 2013;               // HY000, "lost connection" seen through Junction
    public static final int CANNOT_CONNECT = 2003;            // HY000
    public static final int TOO_MANY_CONNECTIONS = 1040;      // 08004
    public static final int NOT_SUPPORTED = 1235;             // 42000
    /** ER_LOCK_DEADLOCK's code and state: the transaction was rolled back, clients retry it whole. */
    public static final int TRANSACTION_ROLLED_BACK = 1213;   // 40001
    /** ER_SERVER_ISNT_AVAILABLE: a routing policy allowed no server that is a candidate (e.g. followers only). */
    public static final int NO_SERVER_ALLOWED = 3168;         // HY000

    private ErrorCodes() {
    }
}
