package dev.junction.core.session;

/**
 * How Junction logs in to a server for a client: the server-side user name, stage1 of the password
 * (SHA1(pw), never the password itself), collation, client capability flags to mirror, and the database.
 */
public record ServerLogin(String user, byte[] stage1, int collation, int clientCapabilities, String database) {

    public ServerLogin withDatabase(String db) {
        return new ServerLogin(user, stage1, collation, clientCapabilities, db);
    }
}
