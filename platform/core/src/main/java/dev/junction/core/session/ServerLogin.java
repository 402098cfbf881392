package dev.junction.core.session;

/**
 * How Junction logs in to a server for a client: the server-side user name, stage1 of the password
 * (SHA1(pw), never the password itself), collation, client capability flags to mirror, the database, and whether
 * the client caches result metadata (MariaDB's {@code MARIADB_CLIENT_CACHE_METADATA}, asked of servers that have it).
 */
public record ServerLogin(String user, byte[] stage1, int collation, int clientCapabilities, String database,
        boolean clientCachesMetadata) {

    public ServerLogin withDatabase(String db) {
        return new ServerLogin(user, stage1, collation, clientCapabilities, db, clientCachesMetadata);
    }
}
