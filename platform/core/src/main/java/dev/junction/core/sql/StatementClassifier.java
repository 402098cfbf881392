package dev.junction.core.sql;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A light, prefix-only look at a statement: transaction control, session SET, USE, SHOW PROCESSLIST, KILL,
 * and whether it depends on the previous statement. Only the first {@value #SCAN_LIMIT} characters are
 * examined; anything unrecognised is {@link SqlCommand.Kind#OTHER}, never an error. A multi-statement text
 * is always OTHER.
 */
public final class StatementClassifier {

    static final int SCAN_LIMIT = 4096;

    private static final int F = Pattern.CASE_INSENSITIVE | Pattern.DOTALL;
    private static final Pattern BEGIN = Pattern.compile("(BEGIN(\\s+WORK)?|START\\s+TRANSACTION\\b.*)", F);
    private static final Pattern COMMIT = Pattern.compile("COMMIT(\\s+WORK)?", F);
    private static final Pattern ROLLBACK = Pattern.compile("ROLLBACK(\\s+WORK)?", F);
    private static final Pattern USE = Pattern.compile("USE\\s+(`(?:[^`]|``)+`|[^\\s`;]+)", F);
    private static final Pattern PROCESSLIST = Pattern.compile("SHOW\\s+(FULL\\s+)?PROCESSLIST", F);
    private static final Pattern KILL = Pattern.compile("KILL\\s+(?:(CONNECTION|QUERY)\\s+)?(\\d+)", F);
    private static final Pattern SET = Pattern.compile("SET\\s+(.*)", F);
    private static final Pattern SESSION_TX = Pattern.compile("SESSION\\s+TRANSACTION\\s+(.*)", F);
    private static final Pattern NAMES = Pattern.compile("(NAMES|CHARACTER\\s+SET|CHARSET)\\s+(.+)", F);
    private static final Pattern SYS_VAR = Pattern.compile(
            "(?:(?:SESSION|LOCAL)\\s+|@@(?:SESSION\\.|LOCAL\\.)?)?([A-Za-z_][A-Za-z0-9_]*)\\s*(?::=|=)\\s*(.+)", F);
    private static final Pattern USER_VAR = Pattern.compile(
            "@([A-Za-z0-9_$.]+|'(?:[^']|'')+'|`(?:[^`]|``)+`|\"(?:[^\"]|\"\")+\")\\s*(?::=|=)\\s*(.+)", F);
    private static final Pattern NOT_SESSION = Pattern.compile(
            "(GLOBAL|PERSIST|PERSIST_ONLY|PASSWORD|ROLE|DEFAULT|STATEMENT|TRANSACTION)\\b.*|@@(GLOBAL|PERSIST|PERSIST_ONLY)\\..*", F);
    private static final Pattern DEPENDS = Pattern.compile(
            "LAST_INSERT_ID\\s*\\(|FOUND_ROWS\\s*\\(|ROW_COUNT\\s*\\(|@@(SESSION\\.)?(IDENTITY|WARNING_COUNT|ERROR_COUNT|LAST_INSERT_ID)\\b", F);
    private static final Pattern SHOW_DIAGNOSTICS = Pattern.compile("SHOW\\s+(WARNINGS|ERRORS|COUNT\\s*\\().*", F);

    /** Results of {@link #classifyCommon}: an ordinary statement (text not kept), not depending / depending on the last one. */
    static final SqlCommand PLAIN = new SqlCommand(SqlCommand.Kind.OTHER, null, List.of(), null, false, false);
    static final SqlCommand PLAIN_DEPENDS = new SqlCommand(SqlCommand.Kind.OTHER, null, List.of(), null, false, true);

    private static final byte[][] DEPENDS_FUNCTIONS = {bytes("LAST_INSERT_ID"), bytes("FOUND_ROWS"), bytes("ROW_COUNT")};

    private StatementClassifier() {
    }

    /**
     * The common case without decoding the text: a statement (ISO-8859-1 bytes {@code [from, end)} of
     * {@code b}) that starts, after white space, with a word other than those of the statements Junction
     * treats specially (BEGIN, START, COMMIT, ROLLBACK, USE, SHOW, KILL, SET) is {@link SqlCommand.Kind#OTHER}
     * whatever follows; whether it depends on the last statement is found by a byte scan equivalent to the
     * pattern {@link #classify} uses. Returns {@link #PLAIN} or {@link #PLAIN_DEPENDS} (whose text is null),
     * or null when {@link #classify} must decide (comments in front, a special word, {@code @@}).
     */
    public static SqlCommand classifyCommon(ByteBuf b, int from, int end) {
        // one bounds-checked copy instead of a checked read per byte
        byte[] head = new byte[Math.max(0, Math.min(end, from + SCAN_LIMIT) - from)];
        b.getBytes(from, head);
        return classifyCommon(head);
    }

    /**
     * {@link #classifyCommon(ByteBuf, int, int)} on a copy of the statement's first bytes: {@code head} holds the
     * whole statement, or at least its first {@value #SCAN_LIMIT} bytes.
     */
    public static SqlCommand classifyCommon(byte[] head) {
        int limit = Math.min(head.length, SCAN_LIMIT);
        int i = 0;
        while (i < limit && isSpace(head[i])) {
            i++;
        }
        int wordStart = i;
        while (i < limit && isLetter(head[i])) {
            i++;
        }
        int wordLen = i - wordStart;
        if (wordLen == 0 || (i < limit && isWordByte(head[i])) || isSpecialWord(head, wordStart, wordLen)) {
            return null;
        }
        boolean depends = false;
        for (int j = i; j < limit; j++) {
            byte c = head[j];
            if (c == '@') {
                return null;
            }
            if (c == '(' && !depends) {
                int k = j - 1;
                while (k >= wordStart && isSpace(head[k])) {
                    k--;
                }
                for (byte[] f : DEPENDS_FUNCTIONS) {
                    if (endsWithIgnoreCase(head, wordStart, k + 1, f)) {
                        depends = true;
                        break;
                    }
                }
            }
        }
        return depends ? PLAIN_DEPENDS : PLAIN;
    }

    private static boolean isSpecialWord(byte[] b, int at, int len) {
        switch (len) {
            case 3:
                return wordIs(b, at, "USE") || wordIs(b, at, "SET");
            case 4:
                return wordIs(b, at, "SHOW") || wordIs(b, at, "KILL");
            case 5:
                return wordIs(b, at, "BEGIN") || wordIs(b, at, "START");
            case 6:
                return wordIs(b, at, "COMMIT");
            case 8:
                return wordIs(b, at, "ROLLBACK");
            default:
                return false;
        }
    }

    private static boolean wordIs(byte[] b, int at, String upper) {
        for (int i = 0; i < upper.length(); i++) {
            if ((b[at + i] & ~0x20) != upper.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean endsWithIgnoreCase(byte[] b, int lower, int endExclusive, byte[] upper) {
        int start = endExclusive - upper.length;
        if (start < lower) {
            return false;
        }
        for (int i = 0; i < upper.length; i++) {
            byte c = b[start + i];
            if (c != upper[i] && !(isLetter(c) && (c & ~0x20) == upper[i])) {
                return false;
            }
        }
        return true;
    }

    /** White space as the patterns' {@code \\s} (and {@link Character#isWhitespace} for these bytes) sees it. */
    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == '\f';
    }

    private static boolean isLetter(byte c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static boolean isWordByte(byte c) {
        return isLetter(c) || (c >= '0' && c <= '9') || c == '_' || c == '$' || c < 0;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    public static SqlCommand classify(String sql) {
        String scanned = sql.length() > SCAN_LIMIT ? sql.substring(0, SCAN_LIMIT) : sql;
        int start = SqlText.skipSpaceAndComments(scanned, 0);
        String body = scanned.substring(start);
        boolean depends = DEPENDS.matcher(body).find() || SHOW_DIAGNOSTICS.matcher(body).matches();
        if (sql.length() > SCAN_LIMIT || SqlText.isMultiStatement(body)) {
            return other(sql, depends);
        }
        String stmt = SqlText.stripTrailingSemicolon(body);
        Matcher m;
        if (BEGIN.matcher(stmt).matches()) {
            return new SqlCommand(SqlCommand.Kind.BEGIN, stmt, List.of(), null, false, false);
        }
        if (COMMIT.matcher(stmt).matches()) {
            return new SqlCommand(SqlCommand.Kind.COMMIT, stmt, List.of(), null, false, false);
        }
        if (ROLLBACK.matcher(stmt).matches()) {
            return new SqlCommand(SqlCommand.Kind.ROLLBACK, stmt, List.of(), null, false, false);
        }
        if ((m = USE.matcher(stmt)).matches()) {
            return new SqlCommand(SqlCommand.Kind.USE, stmt, List.of(), SqlText.unquoteIdentifier(m.group(1)), false, false);
        }
        if ((m = PROCESSLIST.matcher(stmt)).matches()) {
            return new SqlCommand(SqlCommand.Kind.SHOW_PROCESSLIST, stmt, List.of(), null, m.group(1) != null, false);
        }
        if ((m = KILL.matcher(stmt)).matches()) {
            boolean query = m.group(1) != null && m.group(1).equalsIgnoreCase("QUERY");
            return new SqlCommand(SqlCommand.Kind.KILL, stmt, List.of(), m.group(2), query, false);
        }
        if ((m = SET.matcher(stmt)).matches()) {
            List<Assignment> assignments = parseSet(m.group(1));
            if (assignments != null) {
                return new SqlCommand(SqlCommand.Kind.SET_SESSION, stmt, assignments, null, false, depends);
            }
        }
        return other(sql, depends);
    }

    private static SqlCommand other(String sql, boolean depends) {
        return new SqlCommand(SqlCommand.Kind.OTHER, sql, List.of(), null, false, depends);
    }

    /** The session assignments of a SET statement's body, or null when it is not (only) session-level. */
    static List<Assignment> parseSet(String body) {
        Matcher tx = SESSION_TX.matcher(body);
        if (tx.matches()) {
            String what = tx.group(1).toUpperCase(Locale.ROOT);
            String key = "session transaction" + (what.contains("ISOLATION") ? " isolation" : "")
                    + (what.contains("READ ONLY") || what.contains("READ WRITE") ? " access" : "");
            return List.of(new Assignment(key, "SESSION TRANSACTION " + tx.group(1), false, true));
        }
        List<Assignment> out = new ArrayList<>();
        for (String part : SqlText.splitTopLevel(body, ',')) {
            Matcher m;
            if (part.isEmpty() || NOT_SESSION.matcher(part).matches()) {
                return null;
            }
            if ((m = NAMES.matcher(part)).matches()) {
                String key = m.group(1).toUpperCase(Locale.ROOT).startsWith("NAMES") ? "names" : "character set";
                out.add(new Assignment(key, part, false, false));
            } else if ((m = USER_VAR.matcher(part)).matches()) {
                out.add(new Assignment("@" + m.group(1), "@" + m.group(1) + " = " + m.group(2), true, false));
            } else if ((m = SYS_VAR.matcher(part)).matches()) {
                String name = m.group(1).toLowerCase(Locale.ROOT);
                out.add(new Assignment(name, "@@SESSION." + m.group(1) + " = " + m.group(2), false, false));
            } else {
                return null;
            }
        }
        return out;
    }
}
