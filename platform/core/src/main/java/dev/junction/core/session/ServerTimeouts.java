package dev.junction.core.session;

/**
 * Limits on server connections.
 *
 * @param connectMillis TCP connect plus handshake and login
 * @param silenceMillis how long a server may stay silent while a statement runs (query timeout plus margin)
 */
public record ServerTimeouts(long connectMillis, long silenceMillis) {
}
