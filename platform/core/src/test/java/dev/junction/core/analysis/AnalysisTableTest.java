package dev.junction.core.analysis;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/**
 * Statements and what the analyser must report, in the compact form of {@link Analysis#toString()}:
 * {@code TYPE [unparsed] [locking] [tables=[...]] [keys={...}] [weak] [strong] [timeout=..us] [target=..] [+more]}.
 */
@RunWith(Parameterized.class)
public class AnalysisTableTest {

    private static final List<Object[]> ROWS = new ArrayList<>();

    private static void row(String sql, String expected) {
        ROWS.add(new Object[] {sql, expected});
    }

    static {
        // sysbench (with literals, as in the text protocol)
        row("SELECT c FROM sbtest1 WHERE id=4999", "SELECT tables=[sbtest1] keys={id=[4999]}");
        row("SELECT c FROM sbtest1 WHERE id BETWEEN 4999 AND 5098", "SELECT tables=[sbtest1]");
        row("SELECT SUM(k) FROM sbtest3 WHERE id BETWEEN 1 AND 100", "SELECT tables=[sbtest3]");
        row("SELECT c FROM sbtest1 WHERE id BETWEEN 1 AND 100 ORDER BY c", "SELECT tables=[sbtest1]");
        row("SELECT DISTINCT c FROM sbtest1 WHERE id BETWEEN 1 AND 100 ORDER BY c", "SELECT tables=[sbtest1]");
        row("UPDATE sbtest1 SET k=k+1 WHERE id=5015", "UPDATE tables=[sbtest1] keys={id=[5015]}");
        row("UPDATE sbtest2 SET c='45591-29211-26347' WHERE id=77",
                "UPDATE tables=[sbtest2] keys={id=[77]}");
        row("DELETE FROM sbtest1 WHERE id=5028", "DELETE tables=[sbtest1] keys={id=[5028]}");
        row("INSERT INTO sbtest1 (id, k, c, pad) VALUES (5028, 5012, '8386-2877', '6784-4800')",
                "INSERT tables=[sbtest1] keys={id=[5028], k=[5012], c=[8386-2877], pad=[6784-4800]}");
        row("SELECT c FROM sbtest1 WHERE id=?", "SELECT tables=[sbtest1]");
        // other types
        row("BEGIN", "BEGIN");
        row("begin work", "BEGIN");
        row("START TRANSACTION READ ONLY", "BEGIN");
        row("start transaction with consistent snapshot", "BEGIN");
        row("COMMIT", "COMMIT");
        row("rollback", "ROLLBACK");
        row("ROLLBACK WORK TO SAVEPOINT s1", "SAVEPOINT");
        row("SAVEPOINT s1", "SAVEPOINT");
        row("RELEASE SAVEPOINT s1", "SAVEPOINT");
        row("SET autocommit=1", "SET");
        row("SET @x = (SELECT MAX(id) FROM t WHERE id = 3)", "SET");
        row("USE `my db`", "USE");
        row("SHOW TABLES FROM shop", "SHOW");
        row("CALL shop.refresh(1, 'x')", "CALL");
        row("PREPARE s FROM 'SELECT * FROM t WHERE id = ?'", "PREPARE");
        row("DEALLOCATE PREPARE s", "PREPARE");
        row("DROP PREPARE s", "PREPARE");
        row("EXECUTE s USING @a", "EXECUTE");
        row("REPLACE INTO t1 (id, v) VALUES (1, 'a'), (2, 'b')", "REPLACE tables=[t1] keys={id=[1, 2], v=[a, b]}");
        row("LOAD DATA LOCAL INFILE '/tmp/x.csv' REPLACE INTO TABLE db.t FIELDS TERMINATED BY ','",
                "LOAD_DATA tables=[db.t]");
        row("LOAD INDEX INTO CACHE t1", "OTHER");
        row("EXPLAIN SELECT * FROM t", "OTHER");
        row("KILL QUERY 12", "OTHER");
        // DDL
        row("CREATE TABLE IF NOT EXISTS db.t (id INT PRIMARY KEY, CHECK (id = 5))", "DDL tables=[db.t]");
        row("create or replace temporary table `x` as select * from y", "DDL tables=[x, y]");
        row("ALTER TABLE t ADD COLUMN c INT", "DDL tables=[t]");
        row("DROP TABLE IF EXISTS a, b.c", "DDL tables=[a, b.c]");
        row("TRUNCATE TABLE s.t", "DDL tables=[s.t]");
        row("RENAME TABLE a TO b, c TO d", "DDL tables=[a, b, c, d]");
        // locking reads
        row("SELECT * FROM t WHERE id = 1 FOR UPDATE", "SELECT locking tables=[t] keys={id=[1]}");
        row("select * from t where id = 1 lock in share mode", "SELECT locking tables=[t] keys={id=[1]}");
        row("SELECT * FROM t FOR SHARE NOWAIT", "SELECT locking tables=[t]");
        // tables: qualified, quoted, joins, subqueries, aliases, index hints, partitions
        row("SELECT * FROM `my.db`.`we``ird` AS w", "SELECT tables=[my.db.we`ird]");
        row("SELECT * FROM a.b, c d JOIN e.f ON d.x = 5 WHERE (k = 'z' OR k = 'w')",
                "SELECT tables=[a.b, c, e.f] keys={x=[5], k=[z, w]}");
        row("SELECT o.id FROM shop.orders o JOIN shop.customers c ON c.id = o.cid"
                + " LEFT OUTER JOIN shop.items i ON i.oid = o.id WHERE o.id = 1234 AND c.region IN ('eu', 'us')",
                "SELECT tables=[shop.orders, shop.customers, shop.items] keys={id=[1234], region=[eu, us]}");
        row("SELECT * FROM t1 FORCE INDEX (PRIMARY) STRAIGHT_JOIN t2 USE INDEX FOR JOIN (k) WHERE t1.a = t2.a",
                "SELECT tables=[t1, t2]");
        row("SELECT STRAIGHT_JOIN a FROM t", "SELECT tables=[t]");
        row("SELECT * FROM t PARTITION (p0, p1) x WHERE x.id IN (1, 2)",
                "SELECT tables=[t] keys={id=[1, 2]}");
        row("SELECT * FROM (SELECT id FROM inner_t WHERE id = 7) d JOIN t2 USING (id)",
                "SELECT tables=[inner_t, t2] keys={id=[7]}");
        row("SELECT * FROM t WHERE id IN (SELECT id FROM u WHERE u.k = -3)", "SELECT tables=[t, u] keys={k=[-3]}");
        row("(SELECT a FROM t1 WHERE id = 3) UNION ALL (SELECT a FROM t2)",
                "SELECT tables=[t1, t2] keys={id=[3]}");
        row("SELECT EXTRACT(YEAR FROM d), TRIM(LEADING 'x' FROM y), SUBSTRING(s FROM 2 FOR 3) FROM t1",
                "SELECT tables=[t1]");
        row("SELECT 1 FROM DUAL", "SELECT");
        row("SELECT * FROM t, t, s.t", "SELECT tables=[t, s.t]");
        row("SELECT * FROM JSON_TABLE('[1]', '$[*]' COLUMNS (x INT PATH '$')) jt", "SELECT");
        row("WITH c AS (SELECT * FROM t WHERE id = 1) UPDATE u SET x = 1 WHERE id IN (SELECT id FROM c)",
                "UPDATE tables=[t, u, c] keys={id=[1]}");
        row("WITH c AS (SELECT 1) SELECT * FROM c FOR UPDATE", "SELECT locking tables=[c]");
        row("TABLE db.t", "SELECT tables=[db.t]");
        row("UPDATE LOW_PRIORITY IGNORE t1 a, t2 b SET a.x = b.x WHERE a.id = b.id AND a.k = 'q'",
                "UPDATE tables=[t1, t2] keys={k=[q]}");
        row("DELETE t1, t2 FROM t1 INNER JOIN t2 WHERE t1.id = t2.id", "DELETE tables=[t1, t2]");
        row("DELETE QUICK FROM a.t1, t2 USING a.t1 JOIN t2 JOIN t3 WHERE id = 2",
                "DELETE tables=[a.t1, t2, t3] keys={id=[2]}");
        row("INSERT INTO t (a) SELECT b FROM s WHERE s.id = 9", "INSERT tables=[t, s] keys={id=[9]}");
        row("INSERT IGNORE INTO db.t SET a = 1, b = 'x' ON DUPLICATE KEY UPDATE a = 2, c = 3",
                "INSERT tables=[db.t] keys={a=[1], b=[x]}");
        row("INSERT t VALUES (1, 2)", "INSERT tables=[t]");
        // key values: literals and what is skipped
        row("INSERT INTO t (`ID`, k, s, n) VALUES (5, 1+2, 'it''s \\'q\\' \\n', -7), (-6, f(1), \"dq\", +8)",
                "INSERT tables=[t] keys={id=[5, -6], s=[it's 'q' \n, dq], n=[-7, 8]}");
        row("SELECT * FROM t WHERE id = 5 + 1 OR k = 0x1F OR j = NOW() OR m = 1.5e3 OR n = - 4",
                "SELECT tables=[t] keys={m=[1.5e3], n=[-4]}");
        row("SELECT * FROM t WHERE id IN (1, 2 + 3) AND k NOT IN (4) AND (v = N'x' OR NOT (w = 1))",
                "SELECT tables=[t] keys={v=[x], w=[1]}");
        row("SELECT * FROM t WHERE IF(a = 1, 1, 0) AND `db`.`t`.`Col` = 'v'", "SELECT tables=[t] keys={col=[v]}");
        row("SELECT * FROM t WHERE c = 'a\\%b' AND d LIKE 'x'", "SELECT tables=[t] keys={c=[a\\%b]}");
        // hints and the pinned server
        row("SELECT /*+ READ_CONSISTENCY(WEAK) QUERY_TIMEOUT(1000000) */ * FROM t",
                "SELECT tables=[t] weak timeout=1000000us");
        row("select /*+ read_consistency( strong ) */ 1", "SELECT strong");
        row("SELECT /*+ INDEX(t i) read_consistency(weak), query_timeout(abc) */ * FROM t",
                "SELECT tables=[t] weak");
        row("/* target_db_server='10.0.0.1:2881' */ SELECT 1", "SELECT target=10.0.0.1:2881");
        row("/* trace=1, TARGET_DB_SERVER = 10.0.0.2:2881,10.0.0.3:2881 */ select 1", "SELECT target=10.0.0.2:2881");
        row("/* target_db_server='10.0.0.1:2881,10.0.0.2:2881' */ /*+ READ_CONSISTENCY(WEAK) */ SELECT 1",
                "SELECT weak target=10.0.0.1:2881");
        row("/* target_db_server='[::1]:2881' */ SELECT 1", "SELECT target=[::1]:2881");
        row("/* target_db_server='nonsense' */ SELECT 1", "SELECT");
        row("SELECT /* target_db_server='10.0.0.1:2881' */ 1", "SELECT");
        // comments and odd places
        row("-- a comment\n# another\n/* and one */ SELECT /* x */ a -- tail\nFROM /* here */ t # end", "SELECT tables=[t]");
        row("SELECT a FROM t WHERE b = '-- not a comment' AND c = '/* nor this */' AND d = \"#\"",
                "SELECT tables=[t] keys={b=[-- not a comment], c=[/* nor this */], d=[#]}");
        row("/*!40101 SELECT */ a FROM t", "SELECT tables=[t]");
        row("SELECT 1--1", "SELECT");
        row("SeLeCt * fRoM T wHeRe ID = 1", "SELECT tables=[T] keys={id=[1]}");
        row("/*!40101 SET NAMES utf8 */", "SET");
        row("/*!40101 SET NAMES utf8 */; SELECT 1", "SET +more");
        row("INSERT INTO t(id,name) VALUES(1,'a'),(2,'b') AS new ON DUPLICATE KEY UPDATE name = new.name",
                "INSERT tables=[t] keys={id=[1, 2], name=[a, b]}");
        row("select * from t where id = 1 and name = _utf8mb4'x' and k = 'a' 'b'", "SELECT tables=[t] keys={id=[1]}");
        row("SELECT * FROM t1 NATURAL JOIN t2 CROSS JOIN t3, (t4, t5)", "SELECT tables=[t1, t2, t3, t4, t5]");
        row("UPDATE t SET a = 1 WHERE id = 1 ORDER BY id LIMIT 1", "UPDATE tables=[t] keys={id=[1]}");
        row("select * from t where `id` = 0b101 or id=x'1f' or id=@v or id=? or id='ok'",
                "SELECT tables=[t] keys={id=[ok]}");
        row("SELECT * FROM t WHERE id = 9223372036854775808999", "SELECT tables=[t] keys={id=[9223372036854775808999]}");
        row("SELECT * FROM t WHERE (a, b) IN ((1, 2)) AND c = 3", "SELECT tables=[t] keys={c=[3]}");
        // multi-statements, errors, oddities
        row("BEGIN; SELECT 1", "BEGIN +more");
        row("INSERT INTO t (id) VALUES (1) ; INSERT INTO t (id) VALUES (2)", "INSERT tables=[t] keys={id=[1]} +more");
        row("SELECT * FROM a WHERE id = 1; UPDATE b SET x = 1", "SELECT tables=[a] keys={id=[1]} +more");
        row("SELECT 1;", "SELECT");
        row("SELECT 1; -- only a comment", "SELECT");
        row("SELECT 1; 'unterminated", "SELECT +more");
        row("SELECT 'unterminated FROM t", "SELECT unparsed");
        row("SELECT * FROM `t", "SELECT unparsed");
        row("SELECT /* never closed", "SELECT unparsed");
        row("SELECT \u0001 FROM t", "SELECT unparsed");
        row("", "OTHER unparsed");
        row("   -- nothing\n", "OTHER unparsed");
        row("42", "OTHER unparsed");
        row("frobnicate the database", "OTHER");
        row("SELECT * FROM données WHERE clé = 'é'", "SELECT tables=[données] keys={clé=[é]}");
        row("SELECT ((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((1)))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))) FROM t",
                "SELECT tables=[t]");
        row("SELECT * FROM t WHERE ((((id = 1)))) OR (((k IN ('a'))))", "SELECT tables=[t] keys={id=[1], k=[a]}");
        row("SELECT * FROM t WHERE ((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((id = 1))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))",
                "SELECT tables=[t]"); // deeper than 64 parentheses: read, but no key values
    }

    @Parameters(name = "{index}: {0}")
    public static List<Object[]> rows() {
        return ROWS;
    }

    private final String sql;
    private final String expected;

    public AnalysisTableTest(String sql, String expected) {
        this.sql = sql;
        this.expected = expected;
    }

    @Test
    public void analyses() {
        assertEquals(sql, expected, new StatementAnalyzer().analyze(sql).toString());
    }
}
