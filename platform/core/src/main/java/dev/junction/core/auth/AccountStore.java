package dev.junction.core.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Component;

/**
 * The accounts Junction accepts, by source. Sources (the configuration file, a server's {@code mysql.user})
 * are replaced whole; reads see a consistent set and changes apply to the next login.
 */
@Component(service = AccountStore.class)
public final class AccountStore {

    private final Map<String, Map<AccountKey, Account>> sources = new ConcurrentHashMap<>();

    /** Replaces every account that came from {@code source}. */
    public void replace(String source, Iterable<Account> accounts) {
        Map<AccountKey, Account> m = new java.util.HashMap<>();
        for (Account a : accounts) {
            m.put(a.key(), a);
        }
        sources.put(source, Map.copyOf(m));
    }

    public void remove(String source) {
        sources.remove(source);
    }

    /** The account, preferring the configuration file over other sources; null when unknown. */
    public Account find(AccountKey key) {
        Map<AccountKey, Account> file = sources.get(AccountsConfig.SOURCE);
        Account a = file == null ? null : file.get(key);
        if (a != null) {
            return a;
        }
        for (Map<AccountKey, Account> m : sources.values()) {
            a = m.get(key);
            if (a != null) {
                return a;
            }
        }
        return null;
    }
}
