package dev.junction.core.admin;

import dev.junction.core.auth.NativePassword;
import dev.junction.core.config.ConfigException;
import dev.junction.core.config.ConfigValues;
import java.util.Map;

/**
 * {@code etc/dev.junction.admin.cfg}: {@code password} (the mysql_native_password hash {@code *<40 hex>} of
 * root@proxysys; empty = admin SQL disabled, the default) and {@code allow_remote} (default false: loopback
 * clients only).
 *
 * @param passwordHash SHA1(SHA1(password)), or null when admin SQL is disabled
 */
public record AdminConfig(byte[] passwordHash, boolean allowRemote) {

    public static final String PID = "dev.junction.admin";

    public static AdminConfig parse(Map<String, ?> values) throws ConfigException {
        String source = "etc/" + PID + ".cfg";
        ConfigValues v = new ConfigValues(values, source);
        byte[] hash;
        try {
            hash = NativePassword.parseHash(v.string("password", ""));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source + ": password: " + e.getMessage()
                    + " (the hash of SELECT PASSWORD('...') in MySQL 5.7, e.g. *6BB4837EB74329105EE4568DDA7DC67ED2CA2AD9)");
        }
        return new AdminConfig(hash.length == 0 ? null : hash, v.bool("allow_remote", false));
    }
}
