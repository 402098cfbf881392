package dev.junction.sharding;

import dev.junction.api.filter.FilterResult;
import dev.junction.api.filter.StatementFilter;
import dev.junction.api.session.SessionInfo;
import dev.junction.api.statement.StatementInfo;
import org.osgi.service.component.annotations.Component;

/** Sharding rewrites statements on logical tables. No sharding rule exists yet, so every statement passes unchanged. */
@Component
public class ShardingStatementFilter implements StatementFilter {

    @Override
    public FilterResult onStatement(StatementInfo statement, SessionInfo session) {
        return FilterResult.accept();
    }
}
