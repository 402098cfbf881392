package dev.junction.core.routing;

import dev.junction.api.filter.StatementOutcome;
import dev.junction.api.health.FailureKind;
import dev.junction.api.session.SessionInfo;
import dev.junction.api.statement.StatementInfo;
import dev.junction.api.statement.StatementType;
import dev.junction.api.topology.ServerAddress;
import dev.junction.core.cluster.TenantConfig;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One statement's plan and its attempts: the servers in the order to try them, the retry budget
 * ({@code max(3, 2 × servers + 1)} attempts), and the reports made as attempts succeed or fail (disaster
 * checks, result filters, the metadata layer on the last attempt). Used on the session's event loop only.
 */
public final class Route {

    private final RoutingPipeline pipeline;
    private final SessionInfo session;
    private final TenantConfig tenant;
    private final StatementInfo statement;
    private final List<ServerAddress> order;
    private final String decidedBy;
    private final List<String> explanation;
    private final int maxAttempts;
    private final boolean mayResend;
    private final long startNanos = System.nanoTime();
    private final Set<ServerAddress> unreachable = new HashSet<>();
    private int attempts;
    private int cursor;
    private boolean finished;

    Route(RoutingPipeline pipeline, SessionInfo session, TenantConfig tenant, StatementInfo statement,
            List<ServerAddress> order, String decidedBy, List<String> explanation) {
        this(pipeline, session, tenant, statement, order, decidedBy, explanation, true);
    }

    Route(RoutingPipeline pipeline, SessionInfo session, TenantConfig tenant, StatementInfo statement,
            List<ServerAddress> order, String decidedBy, List<String> explanation, boolean mayResend) {
        this.mayResend = mayResend;
        this.pipeline = pipeline;
        this.session = session;
        this.tenant = tenant;
        this.statement = statement;
        this.order = List.copyOf(order);
        this.decidedBy = decidedBy;
        this.explanation = explanation;
        this.maxAttempts = Math.max(3, 2 * order.size() + 1);
        if (explanation != null) {
            explanation.add("try in order: " + this.order + ", at most " + maxAttempts + " attempts");
        }
    }

    public List<ServerAddress> order() {
        return order;
    }

    public String decidedBy() {
        return decidedBy;
    }

    public StatementInfo statement() {
        return statement;
    }

    /** The explanation lines (when planned with trace), else empty. */
    public List<String> explanation() {
        return explanation == null ? List.of() : explanation;
    }

    /** Whether {@link #finished} was reported. */
    public boolean isFinished() {
        return finished;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public int attempts() {
        return attempts;
    }

    /**
     * The server for the next attempt, or null when the budget is used up or no server is left. Servers that
     * could not be connected to are not tried again; the others are tried again in order once every one had
     * its turn. The last attempt is reported to the metadata layer.
     */
    public ServerAddress next() {
        if (attempts >= maxAttempts || order.isEmpty()) {
            return null;
        }
        for (int i = 0; i < order.size(); i++) {
            ServerAddress a = order.get(cursor % order.size());
            cursor++;
            if (!unreachable.contains(a)) {
                attempts++;
                if (attempts == maxAttempts && attempts > 1) {
                    try {
                        pipeline.feedback().lastRetry(tenant.cluster(), tenant.name(), session, statement, a);
                    } catch (RuntimeException e) {
                        // feedback is advisory
                    }
                }
                return a;
            }
        }
        return null;
    }

    /** Whether a refusal with {@code errorCode} lets the statement be sent elsewhere (it did not execute). */
    public boolean mayResend(int errorCode) {
        return mayResend && NotExecuted.isNotExecuted(errorCode) && statement.type() != StatementType.CALL;
    }

    /** Connecting to (or logging in at) {@code server} failed: nothing was sent. */
    public void connectFailed(ServerAddress server, String detail) {
        unreachable.add(server);
        pipeline.failed(server, FailureKind.CONNECT_ERROR, detail);
        if (mayResend) {
            try {
                pipeline.feedback().connectFailed(tenant.cluster(), tenant.name(), session, statement, server);
            } catch (RuntimeException e) {
                // feedback is advisory
            }
        }
    }

    /** The server refused the statement without executing it. */
    public void refused(ServerAddress server, int errorCode, String detail) {
        FailureKind kind = NotExecuted.kind(errorCode);
        pipeline.failed(server, kind, detail);
        if (kind == FailureKind.LOCATION_CHANGED) {
            try {
                pipeline.feedback().locationChanged(tenant.cluster(), tenant.name(), session, statement, server);
            } catch (RuntimeException e) {
                // feedback is advisory
            }
        }
    }

    /** The connection broke or timed out while the statement ran (it may have executed; it is not re-sent). */
    public void lost(ServerAddress server, boolean timeout, String detail) {
        pipeline.failed(server, timeout ? FailureKind.TIMEOUT : FailureKind.CONNECTION_RESET, detail);
    }

    /**
     * Like {@link #lost}, and tells whether the statement may run again on another server: only a plain read
     * ({@link SafeRead}) outside any transaction, as running it twice changes nothing. That server is not tried
     * again for this statement.
     */
    public boolean lostMayRetry(ServerAddress server, boolean timeout, String detail) {
        lost(server, timeout, detail);
        if (!mayResend || !SafeRead.isPlainRead(statement)) {
            return false;
        }
        unreachable.add(server);
        return true;
    }

    /**
     * The statement ended: {@code server} answered (null if none did), {@code errorCode} 0 on success. Reported
     * once: later calls do nothing (result filters release what they admitted exactly once).
     */
    public void finished(ServerAddress server, int errorCode, boolean serverAnswered) {
        if (finished) {
            return;
        }
        finished = true;
        if (server != null && serverAnswered) {
            pipeline.succeeded(server);
        }
        pipeline.result(statement, session, new StatementOutcome(serverAnswered ? server : null, errorCode,
                System.nanoTime() - startNanos));
    }
}
