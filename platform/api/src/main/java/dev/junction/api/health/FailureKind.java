package dev.junction.api.health;

/** What went wrong with a server during real traffic. */
public enum FailureKind {
    CONNECT_ERROR,
    CONNECTION_RESET,
    TIMEOUT,
    /** The server answered with an error meaning it is starting, stopping or out of memory. */
    SERVER_UNAVAILABLE,
    /** The server answered that it is not the leader or lacks the table. */
    LOCATION_CHANGED
}
