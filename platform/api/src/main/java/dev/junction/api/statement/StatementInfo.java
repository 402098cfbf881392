package dev.junction.api.statement;

import dev.junction.api.topology.ServerAddress;
import java.util.List;
import java.util.Map;
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

    /**
     * Whether {@code READ_CONSISTENCY(STRONG)} was hinted: the statement wants a strong read even when the
     * session reads weakly. Never true together with {@link #weakReadHint()}.
     *
     * @since 1.1
     */
    default boolean strongReadHint() {
        return false;
    }

    /**
     * Partition-key candidates: per column (lower-case name, without table qualifier) the literal values the
     * statement compares it with ({@code col = v}, {@code col IN (v1, v2)}) or inserts
     * ({@code INSERT ... (cols) VALUES (...), (...)}), in order of appearance, possibly repeated. Numbers keep
     * their text ({@code -12}, {@code 1.5}); strings are unquoted with escapes resolved. Expressions are
     * skipped. These are candidates for choosing a partition, not a proof that only those rows are touched.
     * Empty when none were found or the analyser extracts none.
     *
     * @since 1.1
     */
    default Map<String, List<String>> keyValues() {
        return Map.of();
    }

    /**
     * The statement's digest: its text with literals replaced by {@code ?} ({@code IN (1, 2, 3)} becomes
     * {@code in (...)}), comments dropped, white space collapsed and everything outside quoted identifiers in lower
     * case, so {@code SELECT c FROM t WHERE id = 7} and {@code select c from t where id=42} share the digest
     * {@code select c from t where id = ?}. Computed only when asked. The default returns the text unchanged.
     *
     * @since 1.2
     */
    default String digest() {
        return sql();
    }

    /** Whether the statement can change data; implementations may also count locking reads as writes. */
    default boolean isWrite() {
        return type().isWrite();
    }
}
