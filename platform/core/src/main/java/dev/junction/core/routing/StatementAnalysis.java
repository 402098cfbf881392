package dev.junction.core.routing;

import dev.junction.api.statement.StatementInfo;

/**
 * Turns a statement's text into what routing needs. The core's light default is {@link SimpleAnalysis};
 * a full analyser (tables, partition keys) plugs in here. Called on an event loop: must not block.
 */
@FunctionalInterface
public interface StatementAnalysis {

    StatementInfo analyze(String sql);
}
