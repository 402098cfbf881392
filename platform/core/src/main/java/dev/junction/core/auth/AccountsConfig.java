package dev.junction.core.auth;

import dev.junction.core.config.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Accounts from {@code etc/dev.junction.accounts.cfg} (PID {@code dev.junction.accounts}): one key per account,
 * {@code user.<user>@<tenant>#<cluster> = *<40 hex digits>} (the mysql_native_password hash, as
 * {@code SELECT PASSWORD('pw')} prints it; empty for no password). Optional {@code internal.user} and
 * {@code internal.password} name the account Junction itself uses to read servers.
 */
public record AccountsConfig(List<Account> accounts, String internalUser, String internalPassword) {

    public static final String PID = "dev.junction.accounts";
    public static final String SOURCE = "etc/" + PID + ".cfg";

    public static AccountsConfig parse(Map<String, ?> values) throws ConfigException {
        List<Account> accounts = new ArrayList<>();
        for (Map.Entry<String, ?> e : values.entrySet()) {
            String key = e.getKey();
            if (!key.startsWith("user.")) {
                continue;
            }
            LoginName name = LoginName.parse(key.substring("user.".length()));
            if (name.user().isEmpty() || name.tenant() == null || name.cluster() == null) {
                throw new ConfigException(SOURCE + ": " + key + ": expected user.<user>@<tenant>#<cluster>");
            }
            byte[] hash;
            try {
                hash = NativePassword.parseHash(String.valueOf(e.getValue()));
            } catch (IllegalArgumentException ex) {
                throw new ConfigException(SOURCE + ": " + key + ": " + ex.getMessage());
            }
            accounts.add(new Account(name.user(), name.tenant(), name.cluster(), hash));
        }
        Object iu = values.get("internal.user");
        Object ip = values.get("internal.password");
        return new AccountsConfig(List.copyOf(accounts), iu == null ? null : iu.toString().trim(),
                ip == null ? "" : ip.toString());
    }
}
