package dev.junction.core.sql;

import java.util.List;

/**
 * What Junction needs to know about a COM_QUERY statement.
 *
 * @param kind the statement's kind
 * @param text the statement (for BEGIN: the text to replay, e.g. {@code START TRANSACTION READ ONLY})
 * @param assignments for {@link Kind#SET_SESSION}: what it sets
 * @param argument for USE: the database; for KILL: the id
 * @param flag for KILL: QUERY (true) or CONNECTION; for SHOW PROCESSLIST: FULL
 * @param dependsOnLast whether it reads state of the previous statement (LAST_INSERT_ID(), SHOW WARNINGS, ...)
 */
public record SqlCommand(Kind kind, String text, List<Assignment> assignments, String argument, boolean flag,
        boolean dependsOnLast) {

    /** Statement kinds Junction treats specially; everything else is OTHER. */
    public enum Kind { BEGIN, COMMIT, ROLLBACK, SET_SESSION, USE, SHOW_PROCESSLIST, KILL, OTHER }
}
