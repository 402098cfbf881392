package dev.junction.core.routing;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.junction.core.analysis.StatementAnalyzer;
import org.junit.Test;

public class SafeReadTest {

    private final StatementAnalyzer analyzer = new StatementAnalyzer();

    private boolean plain(String sql) {
        return SafeRead.isPlainRead(analyzer.analyze(sql));
    }

    @Test
    public void sysbenchReadsArePlain() {
        assertTrue(plain("SELECT c FROM sbtest1 WHERE id=4999"));
        assertTrue(plain("SELECT c FROM sbtest1 WHERE id BETWEEN 10 AND 109"));
        assertTrue(plain("SELECT SUM(k) FROM sbtest1 WHERE id BETWEEN 10 AND 109"));
        assertTrue(plain("SELECT DISTINCT c FROM sbtest1 WHERE id BETWEEN 10 AND 109 ORDER BY c"));
        assertTrue(plain("select count(*), max(id) from t where id in (1, 2, 3) and name like 'a%'"));
        assertTrue(plain("SELECT * FROM t WHERE x = 'sleep(1); into @a'"));
        assertTrue(plain("SELECT a FROM t WHERE b IN (SELECT b FROM u WHERE c = concat('x', lower(d)))"));
        assertTrue(plain("SELECT 1"));
        assertTrue(plain("SELECT @@version, @x"));
    }

    @Test
    public void anythingThatMayHaveAnEffectIsNot() {
        assertFalse(plain("SELECT c FROM t WHERE id = 1 FOR UPDATE"));
        assertFalse(plain("SELECT c FROM t WHERE id = 1 LOCK IN SHARE MODE"));
        assertFalse(plain("SELECT c INTO @x FROM t WHERE id = 1"));
        assertFalse(plain("SELECT @x := c FROM t"));
        assertFalse(plain("SELECT GET_LOCK('a', 10)"));
        assertFalse(plain("SELECT SLEEP(1)"));
        assertFalse(plain("SELECT NEXTVAL(seq1)"));
        assertFalse(plain("SELECT LAST_INSERT_ID(5)"));
        assertFalse(plain("SELECT my_function(id) FROM t"));
        assertFalse(plain("SELECT shop.audit_read(id) FROM t"));
        assertFalse(plain("SELECT 1; DELETE FROM t"));
        assertFalse(plain("UPDATE t SET a = 1"));
        assertFalse(plain("INSERT INTO t VALUES (1)"));
        assertFalse(plain("CALL p()"));
    }
}
