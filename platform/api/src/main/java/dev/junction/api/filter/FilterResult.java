package dev.junction.api.filter;

import java.time.Duration;
import java.util.Objects;

/** A filter's answer: accept, reject with a MySQL error, delay, or rewrite the statement. */
public final class FilterResult {

    /** What the core does with the request. */
    public enum Action { ACCEPT, REJECT, DELAY, REWRITE }

    private static final FilterResult ACCEPT = new FilterResult(Action.ACCEPT, 0, null, null, null, null);

    private final Action action;
    private final int errorCode;
    private final String sqlState;
    private final String message;
    private final Duration delay;
    private final String sql;

    private FilterResult(Action action, int errorCode, String sqlState, String message, Duration delay, String sql) {
        this.action = action;
        this.errorCode = errorCode;
        this.sqlState = sqlState;
        this.message = message;
        this.delay = delay;
        this.sql = sql;
    }

    public static FilterResult accept() {
        return ACCEPT;
    }

    /** Answer the client with a MySQL error packet instead of running the request. */
    public static FilterResult reject(int errorCode, String sqlState, String message) {
        if (sqlState == null || sqlState.length() != 5) {
            throw new IllegalArgumentException("SQLSTATE must have 5 characters: " + sqlState);
        }
        return new FilterResult(Action.REJECT, errorCode, sqlState, Objects.requireNonNull(message), null, null);
    }

    /** Ask the core to re-run the filter chain after {@code delay} (the event loop is not blocked). */
    public static FilterResult delay(Duration delay) {
        return new FilterResult(Action.DELAY, 0, null, null, Objects.requireNonNull(delay), null);
    }

    /** Replace the statement text (statement stage only). */
    public static FilterResult rewrite(String sql) {
        return new FilterResult(Action.REWRITE, 0, null, null, null, Objects.requireNonNull(sql));
    }

    public Action action() {
        return action;
    }

    public int errorCode() {
        return errorCode;
    }

    public String sqlState() {
        return sqlState;
    }

    public String message() {
        return message;
    }

    public Duration delay() {
        return delay;
    }

    public String sql() {
        return sql;
    }

    @Override
    public String toString() {
        switch (action) {
            case REJECT: return "reject " + errorCode + " (" + sqlState + ") " + message;
            case DELAY: return "delay " + delay;
            case REWRITE: return "rewrite";
            default: return "accept";
        }
    }
}
