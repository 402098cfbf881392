package dev.junction.core.routing;

import dev.junction.api.statement.StatementInfo;

/**
 * Turns a statement's text into what routing needs. The core's default is the light
 * {@link dev.junction.core.analysis.StatementAnalyzer} (type, tables, hints, partition-key values). Called on an event loop: must not block.
 */
@FunctionalInterface
public interface StatementAnalysis {

    StatementInfo analyze(String sql);
}
