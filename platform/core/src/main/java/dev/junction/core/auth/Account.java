package dev.junction.core.auth;

/** A login Junction accepts: user in a tenant of a cluster, with the mysql_native_password hash. */
public record Account(String user, String tenant, String cluster, byte[] stage2) {

    public AccountKey key() {
        return new AccountKey(user, tenant, cluster);
    }
}
