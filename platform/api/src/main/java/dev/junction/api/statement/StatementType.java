package dev.junction.api.statement;

/** The kind of statement, as far as routing cares. */
public enum StatementType {
    SELECT, INSERT, UPDATE, DELETE, REPLACE, LOAD_DATA,
    BEGIN, COMMIT, ROLLBACK, SAVEPOINT,
    SET, USE, SHOW, CALL, PREPARE, EXECUTE, DDL, OTHER;

    /** Whether this type of statement can change data. */
    public boolean isWrite() {
        switch (this) {
            case INSERT: case UPDATE: case DELETE: case REPLACE: case LOAD_DATA: case DDL: case CALL:
                return true;
            default:
                return false;
        }
    }

    /** Whether this statement opens or ends a transaction. */
    public boolean isTransactionControl() {
        return this == BEGIN || this == COMMIT || this == ROLLBACK || this == SAVEPOINT;
    }
}
