package dev.junction.ratelimit;

import dev.junction.api.filter.FilterResult;
import dev.junction.api.filter.StatementFilter;
import dev.junction.api.session.SessionInfo;
import dev.junction.api.statement.StatementInfo;
import org.osgi.service.component.annotations.Component;

/** Throttling and circuit breaking per statement. No rule exists yet, so every statement passes. */
@Component
public class RateLimitStatementFilter implements StatementFilter {

    @Override
    public FilterResult onStatement(StatementInfo statement, SessionInfo session) {
        return FilterResult.accept();
    }
}
