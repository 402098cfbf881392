package dev.junction.core.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/** Round robin outside transactions; transactions, session state and prepared statements across two servers. */
public class SessionRoutingTest {

    private static JunctionFixture junction;

    @BeforeClass
    public static void up() throws Exception {
        junction = JunctionFixture.start(Map.of());
        TestDatabases.onEveryServer("CREATE TABLE IF NOT EXISTS test.tx (id INT PRIMARY KEY, note VARCHAR(40)) ENGINE=InnoDB",
                "CREATE DATABASE IF NOT EXISTS other",
                "CREATE TABLE IF NOT EXISTS other.marker (name VARCHAR(20))",
                "DELETE FROM other.marker", "INSERT INTO other.marker VALUES ('other')");
    }

    @AfterClass
    public static void down() {
        junction.close();
    }

    private static int port(Statement s) throws Exception {
        try (ResultSet rs = s.executeQuery("SELECT port FROM test.whoami")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    public void statementsOutsideTransactionsVisitEveryServer() throws Exception {
        try (Connection c = DriverManager.getConnection(junction.mariadbUrl("")); Statement s = c.createStatement()) {
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                seen.add(port(s));
            }
            assertEquals(new HashSet<>(junction.dbPorts), seen);
        }
    }

    @Test
    public void commitStaysOnOneServer() throws Exception {
        for (String url : new String[] {junction.mariadbUrl(""), junction.mysqlUrl("")}) {
            int id = url.contains("mariadb") ? 1 : 2;
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("DELETE FROM test.tx WHERE id = " + id);
                c.setAutoCommit(false);
                s.execute("INSERT INTO test.tx VALUES (" + id + ", 'committed')");
                int first = port(s);
                for (int i = 0; i < 4; i++) {
                    assertEquals(first, port(s));
                }
                c.commit();
                c.setAutoCommit(true);
                assertRowOnExactly(id, first);
            }
        }
    }

    @Test
    public void rollbackLeavesNothingAnywhere() throws Exception {
        try (Connection c = DriverManager.getConnection(junction.mariadbUrl("")); Statement s = c.createStatement()) {
            s.execute("START TRANSACTION");
            s.execute("INSERT INTO test.tx VALUES (3, 'rolled back')");
            int first = port(s);
            assertEquals(first, port(s));
            s.execute("ROLLBACK");
        }
        for (int p : junction.dbPorts) {
            assertEquals("0", TestDatabases.queryOn(p, "SELECT COUNT(*) FROM test.tx WHERE id = 3"));
        }
    }

    @Test
    public void autocommitOffKeepsTheTransactionOnOneServer() throws Exception {
        try (Connection c = DriverManager.getConnection(junction.mysqlUrl("")); Statement s = c.createStatement()) {
            s.execute("DELETE FROM test.tx WHERE id = 4");
            s.execute("SET autocommit = 0");
            s.execute("INSERT INTO test.tx VALUES (4, 'autocommit off')");
            int first = port(s);
            for (int i = 0; i < 3; i++) {
                assertEquals(first, port(s));
            }
            s.execute("COMMIT");
            s.execute("SET autocommit = 1");
            assertRowOnExactly(4, first);
        }
    }

    @Test
    public void lastInsertIdGoesToTheServerUsedLast() throws Exception {
        TestDatabases.onEveryServer("CREATE TABLE IF NOT EXISTS test.auto (id INT AUTO_INCREMENT PRIMARY KEY, v INT)");
        try (Connection c = DriverManager.getConnection(junction.mariadbUrl("")); Statement s = c.createStatement()) {
            for (int i = 0; i < 4; i++) {
                s.execute("INSERT INTO test.auto (v) VALUES (" + i + ")");
                try (ResultSet rs = s.executeQuery("SELECT LAST_INSERT_ID()")) {
                    rs.next();
                    assertTrue("LAST_INSERT_ID() must come from the server that ran the INSERT", rs.getLong(1) > 0);
                }
            }
        }
    }

    private static void assertRowOnExactly(int id, int port) throws Exception {
        for (int p : junction.dbPorts) {
            assertEquals("server " + p, p == port ? "1" : "0",
                    TestDatabases.queryOn(p, "SELECT COUNT(*) FROM test.tx WHERE id = " + id));
        }
    }

    @Test
    public void sessionStateFollowsStatementsToEveryServer() throws Exception {
        for (String url : new String[] {junction.mariadbUrl(""), junction.mysqlUrl("")}) {
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("SET @@session.sql_mode = 'ANSI_QUOTES'");
                s.execute("SET time_zone = '+03:00', @greeting = 'hello'");
                s.execute("SET NAMES utf8mb4");
                s.execute("USE other");
                Set<Integer> seen = new HashSet<>();
                for (int i = 0; i < 6; i++) {
                    try (ResultSet rs = s.executeQuery(
                            "SELECT @@port, @@sql_mode, @@time_zone, @greeting, DATABASE(), (SELECT name FROM marker)")) {
                        rs.next();
                        seen.add(rs.getInt(1));
                        assertEquals("ANSI_QUOTES", rs.getString(2));
                        assertEquals("+03:00", rs.getString(3));
                        assertEquals("hello", rs.getString(4));
                        assertEquals("other", rs.getString(5));
                        assertEquals("other", rs.getString(6));
                    }
                }
                assertEquals(2, seen.size());
            }
        }
    }

    @Test
    public void preparedStatementIsReparedOnASecondServer() throws Exception {
        for (String url : new String[] {junction.mariadbUrl("useServerPrepStmts=true"),
            junction.mysqlUrl("useServerPrepStmts=true&cachePrepStmts=false")}) {
            try (Connection c = DriverManager.getConnection(url);
                    PreparedStatement ps = c.prepareStatement("SELECT @@port, ?, ? + 1")) {
                Set<Integer> seen = new HashSet<>();
                for (int i = 0; i < 6; i++) {
                    ps.setString(1, "p" + i);
                    ps.setInt(2, i);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        seen.add(rs.getInt(1));
                        assertEquals("p" + i, rs.getString(2));
                        assertEquals(i + 1, rs.getInt(3));
                    }
                }
                assertEquals(2, seen.size());
            }
        }
    }

    @Test
    public void closingAPreparedStatementReachesEveryServer() throws Exception {
        int[] before = preparedCounts();
        try (Connection c = DriverManager.getConnection(junction.mysqlUrl("useServerPrepStmts=true&cachePrepStmts=false"))) {
            try (PreparedStatement ps = c.prepareStatement("SELECT ? FROM DUAL")) {
                for (int i = 0; i < 4; i++) {
                    ps.setInt(1, i);
                    ps.executeQuery().close();
                }
                int[] during = preparedCounts();
                for (int i = 0; i < during.length; i++) {
                    assertTrue(during[i] > before[i]);
                }
            }
            // the CLOSE has no answer; a following statement proves it was processed
            try (Statement s = c.createStatement()) {
                s.executeQuery("SELECT 1").close();
                s.executeQuery("SELECT 1").close();
            }
            int[] after = preparedCounts();
            for (int i = 0; i < after.length; i++) {
                assertEquals(before[i], after[i]);
            }
        }
    }

    private static int[] preparedCounts() throws Exception {
        int[] n = new int[junction.dbPorts.size()];
        for (int i = 0; i < n.length; i++) {
            n[i] = Integer.parseInt(TestDatabases.queryOn(junction.dbPorts.get(i),
                    "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'PREPARED_STMT_COUNT'"));
        }
        return n;
    }

    @Test
    public void cursorFetchStaysOnItsServer() throws Exception {
        try (Connection c = DriverManager.getConnection(junction.mysqlUrl("useServerPrepStmts=true&useCursorFetch=true"));
                PreparedStatement ps = c.prepareStatement("SELECT seq FROM seq_1_to_500 WHERE seq > ?")) {
            ps.setFetchSize(7);
            for (int round = 0; round < 2; round++) {
                ps.setInt(1, 0);
                int n = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        n++;
                        assertEquals(n, rs.getInt(1));
                        if (n % 50 == 0) {
                            try (Statement s = c.createStatement()) {
                                s.executeQuery("SELECT 1").close(); // other statements go elsewhere meanwhile
                            }
                        }
                    }
                }
                assertEquals(500, n);
            }
        }
    }

    @Test
    public void multiStatementsAndMultiResultProcedure() throws Exception {
        TestDatabases.onEveryServer("DROP PROCEDURE IF EXISTS test.two_results",
                "CREATE PROCEDURE test.two_results() BEGIN SELECT 1 AS a; SELECT 'x' AS b, 2 AS c; END");
        for (String url : new String[] {junction.mariadbUrl("allowMultiQueries=true"),
            junction.mysqlUrl("allowMultiQueries=true"), junction.mariadbUrl("useServerPrepStmts=true"),
            junction.mysqlUrl("useServerPrepStmts=true")}) {
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                if (url.contains("allowMultiQueries")) {
                    assertTrue(s.execute("SELECT 1; SELECT 2, 3; DO 1"));
                    assertResult(s, "1");
                    assertTrue(s.getMoreResults());
                    assertResult(s, "2");
                    assertTrue(!s.getMoreResults() && s.getUpdateCount() == 0);
                }
                try (PreparedStatement call = c.prepareCall("{CALL test.two_results()}")) {
                    assertTrue(call.execute());
                    try (ResultSet rs = call.getResultSet()) {
                        rs.next();
                        assertEquals(1, rs.getInt(1));
                    }
                    assertTrue(call.getMoreResults());
                    try (ResultSet rs = call.getResultSet()) {
                        rs.next();
                        assertEquals("x", rs.getString(1));
                        assertEquals(2, rs.getInt(2));
                    }
                }
                try (ResultSet rs = s.executeQuery("SELECT 42")) {
                    rs.next();
                    assertEquals(42, rs.getInt(1));
                }
            }
        }
    }

    private static void assertResult(Statement s, String first) throws Exception {
        try (ResultSet rs = s.getResultSet()) {
            assertTrue(rs.next());
            assertEquals(first, rs.getString(1));
        }
    }

    @Test
    public void loadDataLocalInfile() throws Exception {
        TestDatabases.onEveryServer("CREATE TABLE IF NOT EXISTS test.loaded (id INT, name VARCHAR(20))");
        java.nio.file.Path file = java.nio.file.Files.createTempFile("junction-load", ".csv");
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            csv.append(i).append(",name").append(i).append('\n');
        }
        java.nio.file.Files.writeString(file, csv);
        String path = file.toString().replace("\\", "/");
        for (String url : new String[] {junction.mariadbUrl("allowLocalInfile=true"),
            junction.mysqlUrl("allowLoadLocalInfile=true")}) {
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                s.execute("DELETE FROM test.loaded");
                int n = s.executeUpdate("LOAD DATA LOCAL INFILE '" + path
                        + "' INTO TABLE test.loaded FIELDS TERMINATED BY ','");
                assertEquals(5000, n);
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*), MAX(name) FROM test.loaded")) {
                    rs.next();
                    assertEquals(5000, rs.getInt(1));
                    assertEquals("name999", rs.getString(2));
                }
                c.rollback();
            }
        }
    }

    @Test
    public void pingResetAndPlainQueriesStillWork() throws Exception {
        try (Connection c = DriverManager.getConnection(junction.mysqlUrl(""))) {
            assertTrue(c.isValid(2));
            try (Statement s = c.createStatement()) {
                s.execute("SET @kept = 1");
                ((com.mysql.cj.jdbc.JdbcConnection) c).resetServerState();
                try (ResultSet rs = s.executeQuery("SELECT @kept")) {
                    rs.next();
                    assertNull(rs.getString(1));
                }
            }
        }
    }
}
