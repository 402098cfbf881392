package dev.junction.api.filter;

import dev.junction.api.session.SessionInfo;
import dev.junction.api.statement.StatementInfo;
import org.osgi.annotation.versioning.ConsumerType;

/** Told how every statement ended (for circuit breakers, statistics and audit). */
@ConsumerType
public interface ResultFilter {

    void onResult(StatementInfo statement, SessionInfo session, StatementOutcome outcome);
}
