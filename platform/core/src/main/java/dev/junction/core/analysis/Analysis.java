package dev.junction.core.analysis;

import dev.junction.api.statement.StatementInfo;
import dev.junction.api.statement.StatementType;
import dev.junction.api.statement.TableName;
import dev.junction.api.topology.ServerAddress;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What {@link StatementAnalyzer} learned about one statement (the first one of a multi-statement text).
 * Immutable.
 *
 * <p>A locking read ({@code SELECT ... FOR UPDATE}, {@code FOR SHARE}, {@code LOCK IN SHARE MODE}) is
 * {@link #isWrite() write-like}: it must run where writes run. A weak-read hint on a write-like statement is
 * not reported ({@link #weakReadHint()} is false).
 */
public final class Analysis implements StatementInfo {

    private final String sql;
    private final StatementType type;
    private final boolean parsed;
    private final boolean overLimit;
    private final List<TableName> tables;
    private final Map<String, List<String>> keyValues;
    private final boolean weakHint;
    private final boolean strongHint;
    private final long queryTimeoutMicros;
    private final ServerAddress targetServer;
    private final boolean lockingRead;
    private final boolean moreStatements;
    /** Computed on first use (racy but idempotent: a String is safely published). */
    private String digest;

    Analysis(String sql, StatementType type, boolean parsed, boolean overLimit, List<TableName> tables,
            Map<String, List<String>> keyValues, boolean weakHint, boolean strongHint, long queryTimeoutMicros,
            ServerAddress targetServer, boolean lockingRead, boolean moreStatements) {
        this.sql = sql;
        this.type = type;
        this.parsed = parsed;
        this.overLimit = overLimit;
        this.tables = tables == null ? List.of() : Collections.unmodifiableList(tables);
        this.keyValues = keyValues == null ? Map.of() : Collections.unmodifiableMap(keyValues);
        this.weakHint = weakHint;
        this.strongHint = strongHint;
        this.queryTimeoutMicros = queryTimeoutMicros;
        this.targetServer = targetServer;
        this.lockingRead = lockingRead;
        this.moreStatements = moreStatements;
    }

    /** A statement nothing could be read of. */
    static Analysis unparsed(String sql, boolean overLimit) {
        return new Analysis(sql, StatementType.OTHER, false, overLimit, null, null, false, false, -1, null, false,
                false);
    }

    @Override
    public String sql() {
        return sql;
    }

    @Override
    public String digest() {
        String d = digest;
        if (d == null) {
            d = Digest.of(sql);
            digest = d;
        }
        return d;
    }

    @Override
    public StatementType type() {
        return type;
    }

    @Override
    public boolean parsed() {
        return parsed;
    }

    /** Whether the statement was longer than the analyser's limit (then {@link #parsed()} is false). */
    public boolean overLimit() {
        return overLimit;
    }

    @Override
    public List<TableName> tables() {
        return tables;
    }

    @Override
    public Map<String, List<String>> keyValues() {
        return keyValues;
    }

    /** The literal values found for {@code column} (lower case), or an empty list. */
    public List<String> keyValues(String column) {
        List<String> values = keyValues.get(column);
        return values == null ? List.of() : values;
    }

    @Override
    public boolean weakReadHint() {
        return weakHint && !isWrite();
    }

    @Override
    public boolean strongReadHint() {
        return strongHint;
    }

    @Override
    public OptionalLong queryTimeoutMicros() {
        return queryTimeoutMicros < 0 ? OptionalLong.empty() : OptionalLong.of(queryTimeoutMicros);
    }

    @Override
    public Optional<ServerAddress> targetServer() {
        return Optional.ofNullable(targetServer);
    }

    /** Whether this is a locking read: {@code SELECT ... FOR UPDATE}, {@code FOR SHARE}, {@code LOCK IN SHARE MODE}. */
    public boolean lockingRead() {
        return lockingRead;
    }

    /** Whether the text holds more statements after the analysed one (a multi-statement COM_QUERY). */
    public boolean moreStatements() {
        return moreStatements;
    }

    /** Write statements and locking reads. */
    @Override
    public boolean isWrite() {
        return lockingRead || type.isWrite();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(64).append(type);
        if (!parsed) {
            b.append(overLimit ? " unparsed(over limit)" : " unparsed");
        }
        if (lockingRead) {
            b.append(" locking");
        }
        if (!tables.isEmpty()) {
            b.append(" tables=").append(tables);
        }
        if (!keyValues.isEmpty()) {
            b.append(" keys=").append(keyValues);
        }
        if (weakHint) {
            b.append(" weak");
        }
        if (strongHint) {
            b.append(" strong");
        }
        if (queryTimeoutMicros >= 0) {
            b.append(" timeout=").append(queryTimeoutMicros).append("us");
        }
        if (targetServer != null) {
            b.append(" target=").append(targetServer);
        }
        if (moreStatements) {
            b.append(" +more");
        }
        return b.toString();
    }
}
