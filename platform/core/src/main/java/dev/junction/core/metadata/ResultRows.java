package dev.junction.core.metadata;

import java.util.List;
import java.util.Locale;

/** The text rows of one metadata query, read by column name (case-insensitive). */
record ResultRows(List<String> columns, List<String[]> rows) {

    /** The index of a column, or -1 when the result has no such column. */
    int column(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    /** The index of a column that must be there; a missing one means a malformed metadata table. */
    int require(String table, String name) throws MetadataException {
        int i = column(name);
        if (i < 0) {
            throw new MetadataException(table + " has no column " + name.toLowerCase(Locale.ROOT)
                    + " (columns: " + columns + ")");
        }
        return i;
    }
}
