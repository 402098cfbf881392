package dev.junction.api.topology;

/** A replica's role for the partition it holds. */
public enum ReplicaRole {
    /** Serves strong reads and writes. */
    LEADER,
    /** Serves weak reads. */
    FOLLOWER,
    /** The server is a tenant server with no known replica of the statement's data. */
    NONE
}
