package dev.junction.core.analysis;

import java.util.Locale;

/**
 * A statement's digest: literals become {@code ?}, a parenthesised list of literals only becomes {@code (...)},
 * comments go, white space is normalised, words outside quotes are lower-cased, quoted identifiers lose their
 * back-ticks. Statements that differ only in their literals, spacing, comments or keyword case share a digest.
 * Runs only when a filter asks for it (never on the plain forwarding path).
 */
public final class Digest {

    /** Longer digests are cut here (a statement's shape is settled long before). */
    static final int MAX_LENGTH = 4096;

    private Digest() {
    }

    public static String of(String sql) {
        StringBuilder out = new StringBuilder(Math.min(sql.length(), MAX_LENGTH) + 8);
        int n = sql.length();
        int i = 0;
        char last = 0; // kind of the last token: 'w' word, '?' literal, 'p' punctuation, 'o' operator, 0 none
        char lastPunct = 0;
        while (i < n && out.length() < MAX_LENGTH) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (c == '#' || (c == '-' && i + 2 <= n && i + 1 < n && sql.charAt(i + 1) == '-'
                    && (i + 2 == n || Character.isWhitespace(sql.charAt(i + 2))))) {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
                continue;
            }
            if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int close = sql.indexOf("*/", i + 2);
                i = close < 0 ? n : close + 2;
                continue;
            }
            if (c == '\'' || c == '"') {
                i = skipQuoted(sql, i, c);
                literal(out, last, lastPunct);
                last = '?';
                continue;
            }
            if (c == '`') {
                int close = sql.indexOf('`', i + 1);
                while (close >= 0 && close + 1 < n && sql.charAt(close + 1) == '`') {
                    close = sql.indexOf('`', close + 2);
                }
                int end = close < 0 ? n : close;
                space(out, last, lastPunct, 'w');
                out.append(sql, i + 1, end);
                i = close < 0 ? n : close + 1;
                last = 'w';
                continue;
            }
            boolean signed = c == '-' && i + 1 < n && isDigitStart(sql, i + 1) && last != 'w' && last != '?'
                    && !(last == 'p' && lastPunct == ')');
            if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(sql.charAt(i + 1))) || signed) {
                if (signed) {
                    i++;
                }
                i = skipNumber(sql, i);
                literal(out, last, lastPunct);
                last = '?';
                continue;
            }
            if ((c == 'x' || c == 'X' || c == 'b' || c == 'B') && i + 1 < n && sql.charAt(i + 1) == '\'') {
                i = skipQuoted(sql, i + 1, '\'');
                literal(out, last, lastPunct);
                last = '?';
                continue;
            }
            if (Character.isLetter(c) || c == '_' || c == '$' || c == '@' || c >= 0x80) {
                int start = i;
                while (i < n) {
                    char d = sql.charAt(i);
                    if (Character.isLetterOrDigit(d) || d == '_' || d == '$' || d == '@' || d >= 0x80) {
                        i++;
                    } else {
                        break;
                    }
                }
                space(out, last, lastPunct, 'w');
                out.append(sql.substring(start, i).toLowerCase(Locale.ROOT));
                last = 'w';
                continue;
            }
            if (c == '?') {
                literal(out, last, lastPunct);
                last = '?';
                i++;
                continue;
            }
            if (c == '(' || c == ')' || c == ',' || c == '.' || c == ';') {
                if (c == ')') {
                    collapseList(out);
                }
                space(out, last, lastPunct, c);
                out.append(c);
                last = 'p';
                lastPunct = c;
                i++;
                continue;
            }
            // operators: a run of operator characters is one token
            int start = i;
            while (i < n && "=<>!|&+-*/%^~:".indexOf(sql.charAt(i)) >= 0) {
                i++;
            }
            if (i == start) {
                i++;
            }
            space(out, last, lastPunct, 'o');
            out.append(sql, start, i);
            last = 'o';
        }
        if (out.length() >= MAX_LENGTH) {
            out.setLength(MAX_LENGTH);
            out.append("...");
        }
        int len = out.length();
        while (len > 0 && out.charAt(len - 1) == ';') {
            len--;
        }
        out.setLength(len);
        return out.toString();
    }

    private static void literal(StringBuilder out, char last, char lastPunct) {
        space(out, last, lastPunct, '?');
        out.append('?');
    }

    /** One space between tokens, except around {@code .}, after {@code (}, before {@code ( ) , ;}. */
    private static void space(StringBuilder out, char last, char lastPunct, char next) {
        if (last == 0) {
            return;
        }
        if (last == 'p' && (lastPunct == '(' || lastPunct == '.')) {
            return;
        }
        if (next == ')' || next == ',' || next == '.' || next == ';') {
            return;
        }
        if (next == '(' && last == 'w') {
            return;
        }
        out.append(' ');
    }

    /** Just before {@code )}: a list holding nothing but literals, {@code (?, ?, ?)}, becomes {@code (...)}. */
    private static void collapseList(StringBuilder out) {
        int j = out.length() - 1;
        boolean sawLiteral = false;
        while (j >= 0) {
            char c = out.charAt(j);
            if (c == '?') {
                sawLiteral = true;
            } else if (c == '(') {
                break;
            } else if (c != ',' && c != ' ') {
                return;
            }
            j--;
        }
        if (j >= 0 && sawLiteral) {
            out.setLength(j + 1);
            out.append("...");
        }
    }

    private static boolean isDigitStart(String s, int i) {
        char c = s.charAt(i);
        return Character.isDigit(c) || (c == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)));
    }

    private static int skipNumber(String s, int i) {
        int n = s.length();
        if (i + 1 < n && s.charAt(i) == '0' && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X'
                || s.charAt(i + 1) == 'b' || s.charAt(i + 1) == 'B')) {
            i += 2;
            while (i < n && Character.digit(s.charAt(i), 16) >= 0) {
                i++;
            }
            return i;
        }
        while (i < n && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
            i++;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            int j = i + 1;
            if (j < n && (s.charAt(j) == '+' || s.charAt(j) == '-')) {
                j++;
            }
            if (j < n && Character.isDigit(s.charAt(j))) {
                i = j;
                while (i < n && Character.isDigit(s.charAt(i))) {
                    i++;
                }
            }
        }
        return i;
    }

    private static int skipQuoted(String s, int i, char q) {
        int n = s.length();
        i++;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == q) {
                if (i + 1 < n && s.charAt(i + 1) == q) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return n;
    }
}
