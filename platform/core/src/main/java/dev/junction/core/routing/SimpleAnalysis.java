package dev.junction.core.routing;

import dev.junction.api.statement.StatementInfo;
import dev.junction.api.statement.StatementType;
import dev.junction.api.statement.TableName;
import dev.junction.api.topology.ServerAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stand-in analysis until the full analyser lands: the statement type from its first keyword and the hints
 * in its leading comments ({@code target_db_server}, {@code READ_CONSISTENCY(WEAK)}, {@code QUERY_TIMEOUT(us)}).
 * Only the first 4 KB are read; it names no tables, so routing treats every statement as table-less.
 */
public final class SimpleAnalysis implements StatementAnalysis {

    static final int SCAN_LIMIT = 4096;
    private static final Pattern TARGET = Pattern.compile("target_db_server\\s*=\\s*['\"]?([^'\"\\s*]+)['\"]?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern WEAK = Pattern.compile("READ_CONSISTENCY\\s*\\(\\s*WEAK\\s*\\)", Pattern.CASE_INSENSITIVE);
    private static final Pattern TIMEOUT = Pattern.compile("QUERY_TIMEOUT\\s*\\(\\s*(\\d{1,18})\\s*\\)",
            Pattern.CASE_INSENSITIVE);

    @Override
    public StatementInfo analyze(String sql) {
        String s = sql.length() > SCAN_LIMIT ? sql.substring(0, SCAN_LIMIT) : sql;
        ServerAddress target = null;
        boolean weak = false;
        long timeout = -1;
        int i = 0;
        int n = s.length();
        // leading comments carry the hints; /*+ ... */ after the first keyword too (SELECT /*+ ... */)
        StringBuilder comments = null;
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                int end = s.indexOf("*/", i + 2);
                end = end < 0 ? n : end;
                if (comments == null) {
                    comments = new StringBuilder();
                }
                comments.append(s, i + 2, end).append(' ');
                i = Math.min(n, end + 2);
            } else if ((c == '#') || (c == '-' && i + 2 < n && s.charAt(i + 1) == '-' && Character.isWhitespace(s.charAt(i + 2)))) {
                int end = s.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else {
                break;
            }
        }
        int kwEnd = i;
        while (kwEnd < n && Character.isLetter(s.charAt(kwEnd))) {
            kwEnd++;
        }
        String keyword = s.substring(i, kwEnd).toUpperCase(Locale.ROOT);
        // an optimizer hint right after the keyword
        int j = kwEnd;
        while (j < n && Character.isWhitespace(s.charAt(j))) {
            j++;
        }
        if (j + 2 < n && s.startsWith("/*+", j)) {
            int end = s.indexOf("*/", j + 3);
            if (comments == null) {
                comments = new StringBuilder();
            }
            comments.append(s, j + 3, end < 0 ? n : end);
        }
        if (comments != null) {
            Matcher m = TARGET.matcher(comments);
            if (m.find()) {
                try {
                    target = ServerAddress.parse(m.group(1));
                } catch (IllegalArgumentException e) {
                    target = null; // an unreadable hint is ignored, never an error
                }
            }
            weak = WEAK.matcher(comments).find();
            Matcher t = TIMEOUT.matcher(comments);
            if (t.find()) {
                timeout = Long.parseLong(t.group(1));
            }
        }
        return new Info(sql, type(keyword, s, kwEnd), sql.length() <= SCAN_LIMIT, weak,
                timeout, Optional.ofNullable(target));
    }

    static StatementType type(String keyword, String s, int after) {
        switch (keyword) {
            case "SELECT": case "WITH": case "VALUES": case "TABLE": return StatementType.SELECT;
            case "INSERT": return StatementType.INSERT;
            case "UPDATE": return StatementType.UPDATE;
            case "DELETE": return StatementType.DELETE;
            case "REPLACE": return StatementType.REPLACE;
            case "LOAD": return StatementType.LOAD_DATA;
            case "BEGIN": return StatementType.BEGIN;
            case "START": return StatementType.BEGIN;
            case "COMMIT": return StatementType.COMMIT;
            case "ROLLBACK": return StatementType.ROLLBACK;
            case "SAVEPOINT": case "RELEASE": return StatementType.SAVEPOINT;
            case "SET": return StatementType.SET;
            case "USE": return StatementType.USE;
            case "SHOW": case "DESC": case "DESCRIBE": case "EXPLAIN": return StatementType.SHOW;
            case "CALL": return StatementType.CALL;
            case "PREPARE": return StatementType.PREPARE;
            case "EXECUTE": return StatementType.EXECUTE;
            case "CREATE": case "ALTER": case "DROP": case "TRUNCATE": case "RENAME": case "GRANT": case "REVOKE":
                return StatementType.DDL;
            default: return StatementType.OTHER;
        }
    }

    /** The analysis result. */
    record Info(String sql, StatementType type, boolean parsed, boolean weakReadHint, long timeoutMicros,
            Optional<ServerAddress> targetServer) implements StatementInfo {

        @Override
        public List<TableName> tables() {
            return List.of();
        }

        @Override
        public OptionalLong queryTimeoutMicros() {
            return timeoutMicros < 0 ? OptionalLong.empty() : OptionalLong.of(timeoutMicros);
        }

        @Override
        public String toString() {
            return type + (weakReadHint ? " weak" : "") + targetServer.map(t -> " target_db_server=" + t).orElse("")
                    + (parsed ? "" : " (not parsed: over 4 KB)");
        }
    }
}
