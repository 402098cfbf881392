package dev.junction.core.auth;

import dev.junction.core.config.ConfigException;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds {@code etc/dev.junction.accounts.cfg} into the {@link AccountStore}. A bad change is refused whole
 * and the accounts as they were keep working; changes apply to the next login.
 */
@Component(configurationPid = AccountsConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL, service = {})
public class AccountsComponent {

    private static final Logger LOG = LoggerFactory.getLogger(AccountsComponent.class);

    private final AccountStore store;

    @Activate
    public AccountsComponent(@Reference AccountStore store, Map<String, Object> properties) {
        this.store = store;
        apply(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        apply(properties);
    }

    @Deactivate
    void deactivate() {
        store.remove(AccountsConfig.SOURCE);
    }

    private void apply(Map<String, Object> properties) {
        try {
            AccountsConfig cfg = AccountsConfig.parse(properties);
            store.replace(AccountsConfig.SOURCE, cfg.accounts());
            LOG.info("{} accounts from {}", cfg.accounts().size(), AccountsConfig.SOURCE);
        } catch (ConfigException e) {
            LOG.error("Refusing accounts configuration, the previous accounts stay: {}", e.getMessage());
        }
    }
}
