package dev.junction.core.routing;

import dev.junction.api.health.FailureKind;

/**
 * Server errors that prove a statement did not execute, so it may be sent to the next candidate. The list is
 * deliberately short: an error that might follow partial execution (a killed connection, a lock wait timeout,
 * a deadlock, "server shutdown in progress" mid-statement, MySQL's read-only refusal that a stored procedure may
 * raise after earlier writes) is NOT here and reaches the client instead.
 *
 * <ul>
 * <li>4038 OceanBase OB_NOT_MASTER: the server is not the leader of the partition; refused before execution.</li>
 * <li>5150 OceanBase OB_TENANT_NOT_IN_SERVER: the tenant has no unit on this server (location moved).</li>
 * <li>8001 OceanBase OB_SERVER_IS_INIT: the server is still starting and serves nothing yet.</li>
 * <li>8002 OceanBase OB_SERVER_IS_STOPPING: the server is stopping and takes no new statements.</li>
 * </ul>
 * OceanBase reports its internal codes (negative inside the server) as positive MySQL error codes.
 */
public final class NotExecuted {

    private NotExecuted() {
    }

    /** Whether the server refused the statement without executing it. */
    public static boolean isNotExecuted(int errorCode) {
        return errorCode == 4038 || errorCode == 5150 || errorCode == 8001 || errorCode == 8002;
    }

    /** How a disaster check should count such a refusal. */
    public static FailureKind kind(int errorCode) {
        return errorCode == 8001 || errorCode == 8002 ? FailureKind.SERVER_UNAVAILABLE : FailureKind.LOCATION_CHANGED;
    }
}
