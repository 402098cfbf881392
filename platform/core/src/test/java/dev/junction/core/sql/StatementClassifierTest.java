package dev.junction.core.sql;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import dev.junction.core.sql.SqlCommand.Kind;
import java.util.List;
import org.junit.Test;

public class StatementClassifierTest {

    private static SqlCommand c(String sql) {
        return StatementClassifier.classify(sql);
    }

    @Test
    public void transactionControl() {
        assertEquals(Kind.BEGIN, c("begin").kind());
        assertEquals(Kind.BEGIN, c(" /* hint */ START TRANSACTION READ ONLY;").kind());
        assertEquals("START TRANSACTION READ ONLY", c("START TRANSACTION READ ONLY;").text());
        assertEquals(Kind.COMMIT, c("COMMIT WORK").kind());
        assertEquals(Kind.ROLLBACK, c("rollback").kind());
        assertEquals(Kind.OTHER, c("ROLLBACK TO SAVEPOINT a").kind());
        assertEquals(Kind.OTHER, c("BEGIN; INSERT INTO t VALUES (1); COMMIT").kind());
    }

    @Test
    public void sessionSet() {
        SqlCommand s = c("SET @@session.sql_mode = 'A,B', time_zone='+01:00', @u := (SELECT 1, 2), NAMES utf8mb4");
        assertEquals(Kind.SET_SESSION, s.kind());
        List<Assignment> a = s.assignments();
        assertEquals(4, a.size());
        assertEquals("sql_mode", a.get(0).key());
        assertEquals("@@SESSION.sql_mode = 'A,B'", a.get(0).sql());
        assertEquals("time_zone", a.get(1).key());
        assertEquals("@u", a.get(2).key());
        assertTrue(a.get(2).userVariable());
        assertEquals("@u = (SELECT 1, 2)", a.get(2).sql());
        assertEquals("names", a.get(3).key());
        assertEquals(Kind.SET_SESSION, c("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED").kind());
        assertTrue(c("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED").assignments().get(0).standalone());
        assertEquals(Kind.OTHER, c("SET GLOBAL max_connections = 10").kind());
        assertEquals(Kind.OTHER, c("SET @@global.x = 1, y = 2").kind());
        assertEquals(Kind.OTHER, c("SET PASSWORD = 'x'").kind());
        assertEquals(Kind.OTHER, c("SET TRANSACTION READ ONLY").kind());
    }

    @Test
    public void useKillProcesslistAndDependencies() {
        assertEquals("my db", c("USE `my db`").argument());
        assertEquals(Kind.USE, c("use test;").kind());
        assertEquals("12", c("KILL QUERY 12").argument());
        assertTrue(c("kill query 12").flag());
        assertFalse(c("KILL 12").flag());
        assertTrue(c("SHOW FULL PROCESSLIST").flag());
        assertTrue(c("SELECT LAST_INSERT_ID()").dependsOnLast());
        assertTrue(c("select found_rows ()").dependsOnLast());
        assertTrue(c("SHOW WARNINGS").dependsOnLast());
        assertTrue(c("SELECT @@warning_count").dependsOnLast());
        assertFalse(c("SELECT 'LAST_INSERT_ID' FROM t").dependsOnLast());
        assertNull(c("SELECT 1").argument());
    }

    @Test
    public void splittingRespectsQuotesCommentsAndParentheses() {
        assertEquals(List.of("a = 'x,y'", "b = f(1, 2)", "c = \"q\\\",\""),
                SqlText.splitTopLevel("a = 'x,y', b = f(1, 2), c = \"q\\\",\"", ','));
        assertFalse(SqlText.isMultiStatement("SELECT ';' ; -- trailing comment"));
        assertTrue(SqlText.isMultiStatement("SELECT 1; SELECT 2"));
    }
}
