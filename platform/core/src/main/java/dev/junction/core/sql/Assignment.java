package dev.junction.core.sql;

/**
 * One session-level assignment of a SET statement, in a form that can be replayed on another server.
 *
 * @param key what it sets (lower-case system variable name, {@code @name} for a user variable, or a
 *            special key such as {@code names})
 * @param sql the assignment text to replay, e.g. {@code @@SESSION.sql_mode = 'ANSI'}
 * @param userVariable whether it sets a user variable
 * @param standalone whether it must be replayed as its own SET statement (cannot be combined)
 */
public record Assignment(String key, String sql, boolean userVariable, boolean standalone) {
}
