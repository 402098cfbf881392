package dev.junction.core.sql;

import java.util.ArrayList;
import java.util.List;

/** Lexical helpers that respect quotes, back-ticks, parentheses and comments. */
public final class SqlText {

    private SqlText() {
    }

    /** Index of the first character that is neither white space nor a comment (executable {@code /*!} comments count as text). */
    public static int skipSpaceAndComments(String s, int i) {
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*' && !(i + 2 < n && s.charAt(i + 2) == '!')) {
                int end = s.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (c == '#' || (c == '-' && s.startsWith("-- ", i)) || (c == '-' && s.startsWith("--", i) && i + 2 == n)) {
                int end = s.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else {
                break;
            }
        }
        return i;
    }

    /** Splits at {@code sep} outside quotes, back-ticks, parentheses and comments; parts are trimmed. */
    public static List<String> splitTopLevel(String s, char sep) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                i = skipQuoted(s, i, c);
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                int end = s.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 1;
            } else if (c == '#' || (c == '-' && s.startsWith("-- ", i))) {
                int end = s.indexOf('\n', i);
                i = end < 0 ? n : end;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == sep && depth == 0) {
                parts.add(s.substring(start, i).trim());
                start = i + 1;
            }
        }
        parts.add(s.substring(start).trim());
        return parts;
    }

    /** Index of the closing quote of the quoted text opening at {@code open} (or the end). */
    static int skipQuoted(String s, int open, char q) {
        int n = s.length();
        for (int i = open + 1; i < n; i++) {
            char c = s.charAt(i);
            if (c == '\\' && q != '`') {
                i++;
            } else if (c == q) {
                if (i + 1 < n && s.charAt(i + 1) == q) {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return n;
    }

    /** Whether the text holds more than one statement (a top-level {@code ;} followed by more than comments). */
    public static boolean isMultiStatement(String s) {
        List<String> parts = splitTopLevel(s, ';');
        int nonEmpty = 0;
        for (String p : parts) {
            if (skipSpaceAndComments(p, 0) < p.length()) {
                nonEmpty++;
            }
        }
        return nonEmpty > 1;
    }

    /** Strips a trailing {@code ;} and white space. */
    public static String stripTrailingSemicolon(String s) {
        String t = s.trim();
        while (t.endsWith(";")) {
            t = t.substring(0, t.length() - 1).trim();
        }
        return t;
    }

    /** Unquotes a back-ticked identifier. */
    public static String unquoteIdentifier(String s) {
        String t = s.trim();
        if (t.length() >= 2 && t.startsWith("`") && t.endsWith("`")) {
            return t.substring(1, t.length() - 1).replace("``", "`");
        }
        return t;
    }

    public static String quoteIdentifier(String s) {
        return "`" + s.replace("`", "``") + "`";
    }
}
