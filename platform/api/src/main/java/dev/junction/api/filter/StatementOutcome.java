package dev.junction.api.filter;

import dev.junction.api.topology.ServerAddress;

/**
 * How a statement ended.
 *
 * @param server the server that ran it, or {@code null} if none did
 * @param errorCode 0 on success, else the MySQL error code the client received
 * @param elapsedNanos time from receipt to the last response byte
 */
public record StatementOutcome(ServerAddress server, int errorCode, long elapsedNanos) {

    public boolean succeeded() {
        return errorCode == 0;
    }
}
