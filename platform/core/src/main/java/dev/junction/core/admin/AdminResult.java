package dev.junction.core.admin;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What an admin command returns: a table (column names and rows, values as text, null for NULL), or a plain
 * OK with a message, or an error (MySQL code, SQLSTATE, message). The SQL face writes it as a MySQL result set
 * / OK / ERR packet; the gogo face prints it.
 */
public record AdminResult(List<String> columns, List<List<String>> rows, String message, int errorCode,
        String sqlState) {

    public static AdminResult table(List<String> columns, List<List<String>> rows) {
        return new AdminResult(List.copyOf(columns), Collections.unmodifiableList(new ArrayList<>(rows)), null, 0, null);
    }

    public static AdminResult ok(String message) {
        return new AdminResult(List.of(), List.of(), message, 0, null);
    }

    public static AdminResult error(int code, String sqlState, String message) {
        return new AdminResult(List.of(), List.of(), message, code, sqlState);
    }

    public boolean isTable() {
        return !columns.isEmpty();
    }

    public boolean isError() {
        return errorCode != 0;
    }

    /** Plain text for the shell: an aligned table, or the message. */
    public String text() {
        if (isError()) {
            return "ERROR " + errorCode + " (" + sqlState + "): " + message;
        }
        if (!isTable()) {
            return message == null ? "OK" : message;
        }
        int[] width = new int[columns.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = columns.get(i).length();
        }
        for (List<String> row : rows) {
            for (int i = 0; i < width.length && i < row.size(); i++) {
                width[i] = Math.max(width[i], String.valueOf(row.get(i)).length());
            }
        }
        StringBuilder out = new StringBuilder();
        appendRow(out, columns, width);
        for (List<String> row : rows) {
            appendRow(out, row, width);
        }
        if (rows.isEmpty()) {
            out.append("(none)\n");
        }
        return out.toString();
    }

    private static void appendRow(StringBuilder out, List<String> row, int[] width) {
        for (int i = 0; i < width.length; i++) {
            String v = i < row.size() ? String.valueOf(row.get(i)) : "";
            out.append(v);
            if (i < width.length - 1) {
                out.append(" ".repeat(width[i] - v.length() + 2));
            }
        }
        out.append('\n');
    }
}
