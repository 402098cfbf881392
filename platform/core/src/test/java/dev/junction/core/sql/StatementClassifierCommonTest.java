package dev.junction.core.sql;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.Test;

/** The byte-level fast path agrees with {@link StatementClassifier#classify} whenever it answers. */
public class StatementClassifierCommonTest {

    static {
        dev.junction.core.it.LeakRecorder.install(); // before any buffer class initialises
    }

    private static final String[] STATEMENTS = {
        "SELECT c FROM sbtest1 WHERE id=5", "  select 1", "\tINSERT INTO t VALUES (1)", "SELECT LAST_INSERT_ID()",
        "select last_insert_id ()", "SELECT found_rows( )", "SELECT ROW_COUNT()", "SELECT XLAST_INSERT_ID(1)",
        "SELECT COUNT(*) FROM t", "SELECT @@identity", "SELECT @a", "UPDATE t SET a = LAST_INSERT_ID(a + 1)",
        "SELECT 1; SELECT LAST_INSERT_ID()", "SELECT 'LAST_INSERT_ID()'", "SELECT LAST_INSERT_ID\n(\n)",
        "BEGIN", "begin work", "START TRANSACTION READ ONLY", "COMMIT", "rollback", "USE db", "SET autocommit=0",
        "set @a = 1", "SHOW WARNINGS", "SHOW PROCESSLIST", "KILL 5", "/* c */ SELECT 1", "-- c\nSELECT 1", "# c\nSELECT 1",
        "", "   ", "(SELECT 1)", "SELECT_1", "SETX = 1", "SET1", "WITH x AS (SELECT ROW_COUNT()) SELECT * FROM x",
        "DELETE FROM t WHERE id IN (1, 2)", "select\u00e9 1", "SELECT LAST_INSERT_I(", "SELECT ROW_COUNT", "CALL p()",
        "SELECT 1 " + "x".repeat(5000) + " LAST_INSERT_ID()", "SELECT FOUND_ROWS()" + " ".repeat(5000),
    };

    @Test
    public void agreesWithTheFullClassifier() {
        int answered = 0;
        for (String sql : STATEMENTS) {
            ByteBuf b = Unpooled.wrappedBuffer(("\u0003" + sql).getBytes(StandardCharsets.ISO_8859_1));
            SqlCommand fast = StatementClassifier.classifyCommon(b, 1, b.writerIndex());
            SqlCommand full = StatementClassifier.classify(sql);
            byte[] whole = sql.getBytes(StandardCharsets.ISO_8859_1);
            assertEquals(sql, fast, StatementClassifier.classifyCommon(whole)); // the session's copy
            if (fast != null) {
                answered++;
                assertEquals(sql, SqlCommand.Kind.OTHER, full.kind());
                assertEquals(sql, full.dependsOnLast(), fast.dependsOnLast());
                assertEquals(SqlCommand.Kind.OTHER, fast.kind());
            }
        }
        assertEquals(true, answered > 15);
    }

    @Test
    public void leavesSpecialStatementsToTheFullClassifier() {
        for (String sql : new String[] {"BEGIN", "set names utf8", "Use x", "show warnings", "Kill query 3", "commit",
            "ROLLBACK", "start transaction", "/*!40101 SET x=1 */", "SELECT @@session.last_insert_id"}) {
            ByteBuf b = Unpooled.wrappedBuffer(sql.getBytes(StandardCharsets.ISO_8859_1));
            assertNull(sql, StatementClassifier.classifyCommon(b, 0, b.writerIndex()));
        }
        ByteBuf b = Unpooled.wrappedBuffer("SELECT c FROM sbtest1 WHERE id=5".getBytes(StandardCharsets.ISO_8859_1));
        assertNotNull(StatementClassifier.classifyCommon(b, 0, b.writerIndex()));
    }
}
