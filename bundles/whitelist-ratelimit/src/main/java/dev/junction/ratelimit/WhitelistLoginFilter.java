package dev.junction.ratelimit;

import dev.junction.api.filter.FilterResult;
import dev.junction.api.filter.LoginFilter;
import dev.junction.api.filter.LoginRequest;
import org.osgi.service.component.annotations.Component;

/** Checks logins against the whitelist. No whitelist rule exists yet, so every login is accepted. */
@Component
public class WhitelistLoginFilter implements LoginFilter {

    @Override
    public FilterResult onLogin(LoginRequest login) {
        return FilterResult.accept();
    }
}
