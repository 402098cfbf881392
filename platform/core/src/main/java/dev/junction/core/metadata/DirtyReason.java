package dev.junction.core.metadata;

/** Why the routing pipeline distrusts a route entry. */
public enum DirtyReason {
    /** The server answered that it is not the leader / the location changed. */
    NOT_LEADER,
    /** The server does not know the table (moved, dropped, recreated). */
    TABLE_MISSING,
    /** Connecting to a replica of the entry failed. */
    CONNECT_ERROR,
    /** The statement used its last retry. */
    LAST_RETRY,
    /** An operator asked. */
    ADMIN
}
