package dev.junction.api.filter;

import dev.junction.api.session.SessionInfo;
import dev.junction.api.statement.StatementInfo;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Runs for every statement before it is routed. Filters run in {@code service.ranking} order; the
 * first that does not accept decides.
 */
@ConsumerType
public interface StatementFilter {

    FilterResult onStatement(StatementInfo statement, SessionInfo session);
}
