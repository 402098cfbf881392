package dev.junction.api.statement;

import dev.junction.api.topology.ServerAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The core's light analysis of one statement. Only what routing needs is extracted; a statement the
 * analyser could not read has {@link #parsed()} false and no tables.
 */
@ProviderType
public interface StatementInfo {

    /** The statement text as the client sent it. */
    String sql();

    StatementType type();

    /** Whether the analyser read the statement (false for over-long or unreadable statements). */
    boolean parsed();

    /** Tables named by the statement, in order of appearance; empty when none or unknown. */
    List<TableName> tables();

    /** Whether {@code READ_CONSISTENCY(WEAK)} was hinted (the session's setting is in {@code SessionInfo}). */
    boolean weakReadHint();

    /** The {@code QUERY_TIMEOUT(us)} hint, in microseconds. */
    OptionalLong queryTimeoutMicros();

    /** A server pinned by a leading {@code target_db_server} comment. */
    Optional<ServerAddress> targetServer();

    default boolean isWrite() {
        return type().isWrite();
    }
}
