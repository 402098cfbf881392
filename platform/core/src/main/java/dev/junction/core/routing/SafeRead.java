package dev.junction.core.routing;

import dev.junction.api.statement.StatementInfo;
import dev.junction.api.statement.StatementType;
import dev.junction.core.analysis.Analysis;
import java.util.Locale;
import java.util.Set;

/**
 * Whether a statement is a plain read: running it a second time changes nothing and shows the client nothing it
 * could tell apart, so one lost in flight (its server died before any answer byte reached the client) may run on
 * another server. A single {@code SELECT} that is not a locking read, assigns nothing ({@code INTO}, {@code :=})
 * and calls only built-in functions without side effects. Anything else, user functions included (they may
 * write), is not a plain read.
 */
public final class SafeRead {

    /** Built-in functions without side effects, and keywords that may stand before a parenthesis. */
    private static final Set<String> SAFE_BEFORE_PAREN = Set.of(
            // aggregates
            "count", "sum", "avg", "min", "max", "group_concat", "std", "stddev", "variance", "bit_and", "bit_or",
            // strings
            "concat", "concat_ws", "lower", "upper", "lcase", "ucase", "length", "char_length", "character_length",
            "substring", "substr", "trim", "ltrim", "rtrim", "replace", "left", "right", "lpad", "rpad", "instr",
            "locate", "position", "field", "find_in_set", "reverse", "repeat", "space", "hex", "unhex", "md5", "sha1",
            "sha2", "crc32", "format", "ascii", "char", "strcmp",
            // numbers, conditions, conversions
            "abs", "round", "floor", "ceil", "ceiling", "mod", "greatest", "least", "coalesce", "ifnull", "nullif",
            "if", "cast", "convert", "isnull", "sign", "truncate", "pow", "power", "sqrt",
            // dates
            "date", "time", "date_format", "now", "current_timestamp", "curdate", "curtime", "current_date",
            "unix_timestamp", "from_unixtime", "year", "month", "day", "dayofmonth", "hour", "minute", "second",
            "datediff", "timestampdiff", "date_add", "date_sub", "str_to_date", "utc_timestamp", "extract",
            // json
            "json_extract", "json_unquote", "json_contains", "json_length", "json_object", "json_array",
            // keywords that open a parenthesis (lists, subqueries, groups)
            "in", "exists", "any", "all", "some", "select", "from", "join", "on", "and", "or", "not", "where",
            "as", "using", "between", "when", "then", "else", "case", "over", "is", "like", "having", "by",
            "partition", "union", "distinct", "xor", "div", "with", "values", "interval", "binary", "lateral");

    private SafeRead() {
    }

    public static boolean isPlainRead(StatementInfo s) {
        if (s.type() != StatementType.SELECT || s.isWrite() || !s.parsed()) {
            return false;
        }
        if (s instanceof Analysis && ((Analysis) s).moreStatements()) {
            return false;
        }
        return textIsPlainRead(s.sql());
    }

    /** Scans the text outside quotes and comments for assignments, INTO, locking clauses and unknown calls. */
    static boolean textIsPlainRead(String sql) {
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                i = skipQuoted(sql, i, c);
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-' || c == '#') {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (c == ':' && i + 1 < n && sql.charAt(i + 1) == '=') {
                return false;
            } else if (c == ';') {
                return false;
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_'
                        || sql.charAt(i) == '$')) {
                    i++;
                }
                boolean qualified = start > 0 && sql.charAt(start - 1) == '.';
                String word = sql.substring(start, i).toLowerCase(Locale.ROOT);
                if (!qualified && (word.equals("into") || word.equals("for") || word.equals("lock"))) {
                    return false;
                }
                int j = i;
                while (j < n && Character.isWhitespace(sql.charAt(j))) {
                    j++;
                }
                if (j < n && sql.charAt(j) == '(' && (qualified || !SAFE_BEFORE_PAREN.contains(word))) {
                    return false; // a call of a function that may have effects (user functions, locks, sequences)
                }
            } else {
                i++;
            }
        }
        return true;
    }

    private static int skipQuoted(String sql, int i, char quote) {
        int n = sql.length();
        i++;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\\' && quote != '`') {
                i += 2;
            } else if (c == quote) {
                if (i + 1 < n && sql.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return n;
    }
}
