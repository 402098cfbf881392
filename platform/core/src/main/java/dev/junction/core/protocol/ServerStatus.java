package dev.junction.core.protocol;

/** Server status flags carried by OK and EOF packets. */
public final class ServerStatus {

    public static final int IN_TRANS = 0x0001;
    public static final int AUTOCOMMIT = 0x0002;
    public static final int MORE_RESULTS_EXISTS = 0x0008;
    public static final int CURSOR_EXISTS = 0x0040;
    public static final int LAST_ROW_SENT = 0x0080;

    private ServerStatus() {
    }
}
