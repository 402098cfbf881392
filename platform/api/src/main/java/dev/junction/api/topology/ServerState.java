package dev.junction.api.topology;

/** Server states from the metadata poll and from health probes. */
public enum ServerState {
    ACTIVE, INACTIVE, UPGRADE, REPLAY, DELETING, DELETED, DETECT_ALIVE, DETECT_DEAD
}
