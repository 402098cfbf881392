package dev.junction.core.protocol;

/** Command bytes (the first payload byte of a client command packet). */
public final class Commands {

    public static final int COM_SLEEP = 0x00;
    public static final int COM_QUIT = 0x01;
    public static final int COM_INIT_DB = 0x02;
    public static final int COM_QUERY = 0x03;
    public static final int COM_FIELD_LIST = 0x04;
    public static final int COM_STATISTICS = 0x09;
    public static final int COM_PROCESS_INFO = 0x0a;
    public static final int COM_PROCESS_KILL = 0x0c;
    public static final int COM_PING = 0x0e;
    public static final int COM_CHANGE_USER = 0x11;
    public static final int COM_STMT_PREPARE = 0x16;
    public static final int COM_STMT_EXECUTE = 0x17;
    public static final int COM_STMT_SEND_LONG_DATA = 0x18;
    public static final int COM_STMT_CLOSE = 0x19;
    public static final int COM_STMT_RESET = 0x1a;
    public static final int COM_SET_OPTION = 0x1b;
    public static final int COM_STMT_FETCH = 0x1c;
    public static final int COM_RESET_CONNECTION = 0x1f;

    private Commands() {
    }

    /** The name SHOW PROCESSLIST shows for a command. */
    public static String name(int command) {
        switch (command) {
            case COM_QUIT: return "Quit";
            case COM_INIT_DB: return "Init DB";
            case COM_QUERY: return "Query";
            case COM_FIELD_LIST: return "Field List";
            case COM_STATISTICS: return "Statistics";
            case COM_PING: return "Ping";
            case COM_CHANGE_USER: return "Change user";
            case COM_STMT_PREPARE: return "Prepare";
            case COM_STMT_EXECUTE: return "Execute";
            case COM_STMT_SEND_LONG_DATA: return "Long Data";
            case COM_STMT_CLOSE: return "Close stmt";
            case COM_STMT_RESET: return "Reset stmt";
            case COM_SET_OPTION: return "Set option";
            case COM_STMT_FETCH: return "Fetch";
            case COM_RESET_CONNECTION: return "Reset connection";
            default: return "Command " + command;
        }
    }
}
