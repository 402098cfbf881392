package dev.junction.api.admin;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What an {@link AdminCommand} answers: a table (column names and rows of text, {@code null} for NULL) or a
 * message. SQL clients get a result set or an OK packet carrying the message; the shell prints either.
 */
public final class AdminTable {

    private final List<String> columns;
    private final List<List<String>> rows;
    private final String message;

    private AdminTable(List<String> columns, List<List<String>> rows, String message) {
        this.columns = columns;
        this.rows = rows;
        this.message = message;
    }

    /** A table; every row should have one value per column. */
    public static AdminTable of(List<String> columns, List<List<String>> rows) {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("a table needs at least one column");
        }
        List<List<String>> copy = new ArrayList<>(rows.size());
        for (List<String> row : rows) {
            copy.add(Collections.unmodifiableList(new ArrayList<>(row)));
        }
        return new AdminTable(List.copyOf(columns), Collections.unmodifiableList(copy), null);
    }

    /** A message, e.g. what a change did. */
    public static AdminTable message(String message) {
        return new AdminTable(List.of(), List.of(), Objects.requireNonNull(message, "message"));
    }

    public boolean isTable() {
        return !columns.isEmpty();
    }

    public List<String> columns() {
        return columns;
    }

    public List<List<String>> rows() {
        return rows;
    }

    /** The message, or {@code null} for a table. */
    public String message() {
        return message;
    }
}
