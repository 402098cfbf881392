package dev.junction.core.analysis;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import dev.junction.api.statement.StatementType;
import dev.junction.api.statement.TableName;
import dev.junction.api.topology.ServerAddress;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.Test;

public class AnalyzerTest {

    private final StatementAnalyzer analyzer = new StatementAnalyzer();

    @Test
    public void pointSelectThroughTheStatementInfoView() {
        Analysis a = analyzer.analyze("SELECT c FROM sbtest1 WHERE id=4999");
        assertEquals(StatementType.SELECT, a.type());
        assertTrue(a.parsed());
        assertFalse(a.isWrite());
        assertEquals(List.of(new TableName(null, "sbtest1")), a.tables());
        assertEquals(Map.of("id", List.of("4999")), a.keyValues());
        assertEquals(List.of("4999"), a.keyValues("id"));
        assertEquals(List.of(), a.keyValues("k"));
        assertFalse(a.weakReadHint());
        assertFalse(a.strongReadHint());
        assertEquals(OptionalLong.empty(), a.queryTimeoutMicros());
        assertEquals(Optional.empty(), a.targetServer());
        assertFalse(a.moreStatements());
        assertEquals("SELECT c FROM sbtest1 WHERE id=4999", a.sql());
    }

    @Test
    public void lockingReadsAreWriteLikeAndIgnoreTheWeakHint() {
        Analysis a = analyzer.analyze("SELECT /*+ READ_CONSISTENCY(WEAK) */ * FROM t WHERE id = 1 FOR UPDATE");
        assertTrue(a.lockingRead());
        assertTrue(a.isWrite());
        assertFalse(a.weakReadHint());
        Analysis b = analyzer.analyze("SELECT /*+ READ_CONSISTENCY(WEAK) */ * FROM t WHERE id = 1");
        assertFalse(b.isWrite());
        assertTrue(b.weakReadHint());
        assertFalse(analyzer.analyze("UPDATE /*+ READ_CONSISTENCY(WEAK) */ t SET a = 1").weakReadHint());
    }

    @Test
    public void hintsAndPinnedServer() {
        Analysis a = analyzer.analyze(
                "/* target_db_server='10.1.2.3:2881,10.1.2.4:2881' */ SELECT /*+ QUERY_TIMEOUT(5000000) READ_CONSISTENCY(STRONG) */ 1");
        assertEquals(Optional.of(new ServerAddress("10.1.2.3", 2881)), a.targetServer());
        assertEquals(OptionalLong.of(5_000_000), a.queryTimeoutMicros());
        assertTrue(a.strongReadHint());
        assertFalse(a.weakReadHint());
        assertEquals(Optional.empty(), analyzer.analyze("/* target_db_server='10.1.2.3:99999' */ SELECT 1").targetServer());
        assertEquals(OptionalLong.empty(), analyzer.analyze("SELECT /*+ QUERY_TIMEOUT(9999999999999999999) */ 1")
                .queryTimeoutMicros());
    }

    @Test
    public void transactionControl() {
        assertTrue(analyzer.analyze("START TRANSACTION").type().isTransactionControl());
        assertTrue(analyzer.analyze("commit").type().isTransactionControl());
        assertTrue(analyzer.analyze("ROLLBACK TO s").type().isTransactionControl());
        assertFalse(analyzer.analyze("SELECT 1").type().isTransactionControl());
    }

    @Test
    public void overLongStatementsAreTypedButNotRead() {
        StringBuilder b = new StringBuilder("/* target_db_server='10.0.0.9:2881' */ INSERT /*+ QUERY_TIMEOUT(7) */ INTO t (id) VALUES (1)");
        while (b.length() <= StatementAnalyzer.DEFAULT_MAX_LENGTH) {
            b.append(", (1)");
        }
        Analysis a = analyzer.analyze(b.toString());
        assertEquals(StatementType.INSERT, a.type());
        assertFalse(a.parsed());
        assertTrue(a.overLimit());
        assertEquals(List.of(), a.tables());
        assertEquals(Map.of(), a.keyValues());
        assertEquals(OptionalLong.of(7), a.queryTimeoutMicros());
        assertEquals(Optional.of(new ServerAddress("10.0.0.9", 2881)), a.targetServer());
        assertTrue(a.isWrite());

        // 1.5 MB of a string literal: same answer, quickly
        String huge = "SELECT * FROM t WHERE c = '" + "x".repeat(1_500_000) + "'";
        Analysis h = analyzer.analyze(huge);
        assertEquals("SELECT unparsed(over limit)", h.toString());
        byte[] bytes = huge.getBytes(StandardCharsets.UTF_8);
        assertEquals("SELECT unparsed(over limit)", analyzer.analyze(bytes, 0, bytes.length).toString());
    }

    @Test
    public void theLimitCountsUtf8BytesAndIsConfigurable() {
        String ascii = "SELECT * FROM t WHERE c = '" + "x".repeat(40) + "'"; // 68 bytes
        String accented = "SELECT * FROM t WHERE c = '" + "é".repeat(40) + "'"; // 108 bytes, 68 chars
        StatementAnalyzer small = new StatementAnalyzer(100);
        assertEquals(100, small.maxLength());
        assertTrue(small.analyze(ascii).parsed());
        assertFalse(small.analyze(accented).parsed());
        assertTrue(small.analyze(accented).overLimit());
        assertTrue(analyzer.analyze(accented).parsed());
        assertTrue(StatementAnalyzer.utf8LongerThan("😀", 3));
        assertFalse(StatementAnalyzer.utf8LongerThan("😀", 4));
    }

    @Test(expected = IllegalArgumentException.class)
    public void aTinyLimitIsRefused() {
        new StatementAnalyzer(3);
    }

    @Test
    public void bytesEntryPointReadsUtf8AtAnOffset() {
        byte[] payload = "\u0003SELECT * FROM `tâble` WHERE k = 'ü'".getBytes(StandardCharsets.UTF_8);
        Analysis a = analyzer.analyze(payload, 1, payload.length - 1);
        assertEquals("SELECT * FROM `tâble` WHERE k = 'ü'", a.sql());
        assertEquals(List.of(new TableName(null, "tâble")), a.tables());
        assertEquals(List.of("ü"), a.keyValues("k"));
    }

    @Test
    public void nullIsAnEmptyStatement() {
        Analysis a = analyzer.analyze((String) null);
        assertEquals(StatementType.OTHER, a.type());
        assertFalse(a.parsed());
        assertEquals("", a.sql());
    }

    @Test
    public void resultsAreImmutable() {
        Analysis a = analyzer.analyze("SELECT * FROM t WHERE id = 1");
        try {
            a.tables().clear();
            throw new AssertionError("tables() is mutable");
        } catch (UnsupportedOperationException expected) {
            // fine
        }
        try {
            a.keyValues().clear();
            throw new AssertionError("keyValues() is mutable");
        } catch (UnsupportedOperationException expected) {
            // fine
        }
    }

    @Test
    public void everyKeywordConstantNamesItsWord() throws Exception {
        int n = 0;
        for (Field f : Keywords.class.getDeclaredFields()) {
            if (f.getType() == int.class && Modifier.isStatic(f.getModifiers()) && f.getName().equals(f.getName().toUpperCase(Locale.ROOT))
                    && !List.of("RESERVED", "OPERATOR", "FROM_FUNCTION", "MAX_LENGTH", "TABLE_BITS").contains(f.getName())) {
                f.setAccessible(true);
                String word = f.getName().toLowerCase(Locale.ROOT);
                assertEquals(word, f.getInt(null), Scan.keyword(word));
                assertEquals(word, f.getInt(null), Scan.keyword(word.toUpperCase(Locale.ROOT)));
                n++;
            }
        }
        assertTrue(n > 90);
        assertEquals(-1, Scan.keyword("sbtest1"));
        assertEquals(-1, Scan.keyword("ſelect")); // no Unicode case folding: MySQL keywords are ASCII
    }

    /** Random text, random SQL-ish token soup and random bytes: never an exception, always an answer. */
    @Test
    public void fuzz() {
        Random random = new Random(20240611L);
        String[] pieces = {"SELECT", "select", "FROM", "from", "JOIN", "WHERE", "id", "=", "IN", "(", ")", ",", ".",
            "`", "'", "\"", "\\", "/*", "*/", "/*+", "/*!", "--", "-- ", "#", "\n", " ", ";", "-", "+", "1", "-2",
            "3.5e", "0x", "x'", "N'", "@", "@@", "t", "db", "INSERT", "INTO", "VALUES", "UPDATE", "SET", "DELETE",
            "FOR", "UPDATE", "LOCK", "IN", "SHARE", "READ_CONSISTENCY(", "WEAK", "QUERY_TIMEOUT(",
            "target_db_server=", "'1.2.3.4:5'", "WITH", "AS", "EXTRACT", "LOAD", "DATA", "TABLE", "é", "\u0000",
            "\uFFFD", "\uD800", "ROW", "USING", "PARTITION", "DUAL", "AND", "OR", "NOT"};
        StatementAnalyzer small = new StatementAnalyzer(64);
        long deadline = System.nanoTime() + 3_000_000_000L;
        int runs = 0;
        while (runs < 300_000 && (runs < 20_000 || System.nanoTime() < deadline)) {
            String sql;
            byte[] bytes = null;
            switch (runs % 3) {
                case 0: {
                    StringBuilder b = new StringBuilder();
                    int n = random.nextInt(30);
                    for (int i = 0; i < n; i++) {
                        b.append(pieces[random.nextInt(pieces.length)]);
                        if (random.nextBoolean()) {
                            b.append(' ');
                        }
                    }
                    sql = b.toString();
                    break;
                }
                case 1: {
                    char[] cs = new char[random.nextInt(80)];
                    for (int i = 0; i < cs.length; i++) {
                        cs[i] = random.nextInt(4) == 0 ? (char) random.nextInt(0x10000) : (char) (0x20 + random.nextInt(0x60));
                    }
                    sql = new String(cs);
                    break;
                }
                default: {
                    bytes = new byte[random.nextInt(120)];
                    random.nextBytes(bytes);
                    sql = null;
                    break;
                }
            }
            StatementAnalyzer an = runs % 2 == 0 ? analyzer : small;
            if (bytes != null) {
                sql = new String(bytes, StandardCharsets.UTF_8);
                assertEquals(sql, an.analyze(bytes, 0, bytes.length).sql());
            }
            // without the safety net: a failure of the analyser itself fails the test
            boolean over = sql.length() > an.maxLength() || StatementAnalyzer.utf8LongerThan(sql, an.maxLength());
            Analysis a = an.read(sql, over);
            assertNotNull(a.type());
            assertNotNull(a.toString());
            if (!a.parsed()) {
                assertTrue(a.tables().isEmpty());
                assertTrue(a.keyValues().isEmpty());
            }
            runs++;
        }
        assertTrue(runs >= 20_000);
    }
}
