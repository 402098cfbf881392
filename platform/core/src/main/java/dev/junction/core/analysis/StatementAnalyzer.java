package dev.junction.core.analysis;

import java.nio.charset.StandardCharsets;

/**
 * The routing pipeline's light statement analyser: a hand-written, single-pass tokenizer (no regular
 * expressions, no SQL grammar library) that reads what routing needs from a COM_QUERY statement and nothing
 * else. Thread-safe and stateless apart from its limit; one {@link Analysis} per call. Never throws and never
 * rejects a statement: what it cannot read is reported as {@link Analysis#parsed() parsed() == false}.
 *
 * <h2>What it extracts</h2>
 * <ul>
 * <li><b>Type</b> from the first keyword(s): SELECT (also {@code WITH ...} and {@code (SELECT ...)} and
 *     {@code TABLE t}), INSERT, UPDATE, DELETE (also {@code WITH ... UPDATE|DELETE}), REPLACE,
 *     LOAD_DATA ({@code LOAD DATA|XML}), BEGIN ({@code BEGIN}, {@code START TRANSACTION}), COMMIT, ROLLBACK,
 *     SAVEPOINT ({@code SAVEPOINT}, {@code ROLLBACK [WORK] TO}, {@code RELEASE SAVEPOINT}), SET, USE, SHOW,
 *     CALL, PREPARE (also {@code DEALLOCATE|DROP PREPARE}), EXECUTE, DDL ({@code CREATE ALTER DROP
 *     TRUNCATE RENAME}); anything else OTHER.</li>
 * <li><b>Locking reads</b>: {@code FOR UPDATE}, {@code FOR SHARE}, {@code LOCK IN SHARE MODE} make a SELECT
 *     write-like ({@link Analysis#isWrite()}).</li>
 * <li><b>Tables</b> ({@code db.table}, back-quoted parts unquoted, in order, without repeats) after FROM
 *     (not the FROM inside {@code EXTRACT(... FROM ...)} and similar functions), JOIN, {@code INSERT|REPLACE
 *     [INTO]}, {@code UPDATE}, {@code DELETE ... USING}, {@code LOAD DATA ... INTO TABLE}, and
 *     {@code CREATE|ALTER|DROP|TRUNCATE|RENAME TABLE}; comma lists, aliases, {@code PARTITION (...)} and index
 *     hints are understood. Names of common table expressions are reported like tables.</li>
 * <li><b>Hints</b> in any {@code /*+ ... *}{@code /} comment of the statement: {@code READ_CONSISTENCY(WEAK)},
 *     {@code READ_CONSISTENCY(STRONG)} (the last one wins), {@code QUERY_TIMEOUT(n)} (µs).</li>
 * <li><b>Pinned server</b>: {@code target_db_server='ip:port'} (quotes optional, {@code ip:port} or
 *     {@code [ipv6]:port}) in a comment before the first keyword; of a comma-separated list the first
 *     address is taken; an unreadable address is ignored.</li>
 * <li><b>Partition-key candidates</b> ({@link Analysis#keyValues()}): {@code col = literal} and
 *     {@code col IN (literal, ...)} where a predicate starts (after WHERE, AND, OR, ON or an opening
 *     parenthesis of a condition), the rows of {@code INSERT|REPLACE ... (cols) VALUES (...), (...)} and the
 *     assignments of {@code INSERT ... SET col = literal}. Literals are numbers (with sign) and strings;
 *     anything else (expressions, placeholders, functions, hex and bit literals) is skipped.</li>
 * <li><b>Multi-statements</b>: only the first statement is analysed; {@link Analysis#moreStatements()} says
 *     whether more follow.</li>
 * </ul>
 * Comments ({@code -- }, {@code #}, {@code /* *}{@code /}; the content of executable {@code /*! ... *}{@code /}
 * comments is read as statement text), quoted strings (backslash escapes and doubled quotes), back-quoted
 * identifiers and case-insensitive keywords are handled. Double-quoted text is a string where a value is
 * expected and a name where a name is expected.
 *
 * <h2>Limits</h2>
 * A statement longer than the limit ({@value #DEFAULT_MAX_LENGTH} bytes by default; for a {@code String},
 * its UTF-8 length) is not read beyond its leading comments and first keyword(s): type, pinned server and a
 * hint right after the keyword only, {@code parsed() == false}, no tables. Text the tokenizer cannot read
 * (an unterminated string, quoted name or comment, a control character) gives {@code parsed() == false},
 * the type if the first keyword was read, no tables and no key values.
 */
public final class StatementAnalyzer {

    /** The default limit, in bytes, above which a statement is not analysed (as OBProxy). */
    public static final int DEFAULT_MAX_LENGTH = 4096;

    private final int maxLength;

    public StatementAnalyzer() {
        this(DEFAULT_MAX_LENGTH);
    }

    /** @param maxLength the longest statement (in UTF-8 bytes) to analyse fully; at least 16 */
    public StatementAnalyzer(int maxLength) {
        if (maxLength < 16) {
            throw new IllegalArgumentException("maxLength must be at least 16, got " + maxLength);
        }
        this.maxLength = maxLength;
    }

    public int maxLength() {
        return maxLength;
    }

    /** Analyses {@code sql} (null is read as an empty statement). */
    public Analysis analyze(String sql) {
        if (sql == null) {
            sql = "";
        }
        int n = sql.length();
        boolean over = n > maxLength || ((long) n * 3 > maxLength && utf8LongerThan(sql, maxLength));
        return analyze(sql, over);
    }

    /**
     * Analyses the UTF-8 text {@code bytes[offset, offset + length)}, e.g. a COM_QUERY payload after its
     * command byte. The bytes are decoded once (the {@link Analysis#sql()} text) and not kept.
     */
    public Analysis analyze(byte[] bytes, int offset, int length) {
        String sql = new String(bytes, offset, length, StandardCharsets.UTF_8);
        return analyze(sql, length > maxLength);
    }

    private Analysis analyze(String sql, boolean over) {
        try {
            return read(sql, over);
        } catch (RuntimeException e) { // a bug in the analyser must not fail the statement
            return Analysis.unparsed(sql, over);
        }
    }

    /** The analysis, without the safety net (tests use it to see the analyser's own failures). */
    Analysis read(String sql, boolean over) {
        return new Scan(sql, over ? Math.min(sql.length(), maxLength) : sql.length()).run(over);
    }

    /** Whether the UTF-8 encoding of {@code s} is longer than {@code limit} bytes. */
    static boolean utf8LongerThan(String s, int limit) {
        long bytes = 0;
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
            if (bytes > limit) {
                return true;
            }
        }
        return false;
    }
}
