package dev.junction.api.statement;

/**
 * A table a statement names.
 *
 * @param database the database, or {@code null} when the statement did not qualify it
 * @param table the table name
 */
public record TableName(String database, String table) {

    @Override
    public String toString() {
        return database == null ? table : database + "." + table;
    }
}
