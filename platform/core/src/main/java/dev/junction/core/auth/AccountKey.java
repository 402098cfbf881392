package dev.junction.core.auth;

import java.util.Locale;

/** Identifies an account: user names are case-sensitive, tenant and cluster names are not. */
public record AccountKey(String user, String tenant, String cluster) {

    public AccountKey {
        tenant = tenant.toLowerCase(Locale.ROOT);
        cluster = cluster.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return user + "@" + tenant + "#" + cluster;
    }
}
