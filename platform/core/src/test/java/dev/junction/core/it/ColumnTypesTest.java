package dev.junction.core.it;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Every column type reads identically directly from a server and through Junction, with both drivers and
 * with server-side prepared statements on and off; values written through Junction read back identically.
 */
public class ColumnTypesTest {

    private static final String COLUMNS = "id INT PRIMARY KEY, c_tinyint TINYINT, c_smallint SMALLINT,"
            + " c_mediumint MEDIUMINT, c_int INT, c_bigint BIGINT, c_ubigint BIGINT UNSIGNED, c_decimal DECIMAL(30,8),"
            + " c_float FLOAT, c_double DOUBLE, c_bit BIT(10), c_bool BOOLEAN, c_date DATE, c_datetime DATETIME(6),"
            + " c_timestamp TIMESTAMP(6) NULL, c_time TIME(6), c_year YEAR, c_char CHAR(10), c_varchar VARCHAR(100),"
            + " c_binary BINARY(4), c_varbinary VARBINARY(10), c_tinytext TINYTEXT, c_text TEXT, c_mediumtext MEDIUMTEXT,"
            + " c_longtext LONGTEXT, c_tinyblob TINYBLOB, c_blob BLOB, c_mediumblob MEDIUMBLOB, c_longblob LONGBLOB,"
            + " c_enum ENUM('red','green'), c_set SET('a','b','c'), c_json JSON";

    private static final String ROWS = "INSERT INTO test.types VALUES"
            + " (1, -128, -32768, -8388608, -2147483648, -9223372036854775808, 18446744073709551615,"
            + " -12345678901234567890.12345678, -1.5e-3, 2.718281828459045e300, b'1010101010', TRUE, '1999-12-31',"
            + " '2024-02-29 23:59:59.123456', '2038-01-19 03:14:07.999999', '-838:59:59.000000', 2155, 'ab',"
            + " 'héllo wörld ☃ 𝄞', x'00ff10ab', x'0102', 'tiny', REPEAT('text ', 1000), REPEAT('m', 70000),"
            + " REPEAT('long ', 20000), x'00', x'deadbeef', REPEAT(x'01', 70000), REPEAT(x'fe', 100000), 'green', 'a,c',"
            + " '{\"k\": [1, 2, {\"x\": null}]}'),"
            + " (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
            + " NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
            + " (3, 127, 32767, 8388607, 2147483647, 9223372036854775807, 0, 0.00000001, 3.4e38, -0.0, b'0', FALSE,"
            + " '1000-01-01', '1000-01-01 00:00:00', '1970-01-01 00:00:01', '00:00:00', 1901, '', '', x'', x'', '', '', '',"
            + " '', x'', x'', x'', x'', 'red', '', '[]')";

    private static final String[] URL_PARAMS_MARIADB = {"useServerPrepStmts=false", "useServerPrepStmts=true"};
    private static final String[] URL_PARAMS_MYSQL = {"useServerPrepStmts=false", "useServerPrepStmts=true",
        "useServerPrepStmts=true&useCursorFetch=true&defaultFetchSize=1"};

    private static JunctionFixture junction;

    @BeforeClass
    public static void up() throws Exception {
        junction = JunctionFixture.start(Map.of());
        TestDatabases.onEveryServer("DROP TABLE IF EXISTS test.types", "CREATE TABLE test.types (" + COLUMNS + ") DEFAULT CHARSET=utf8mb4", ROWS,
                "DROP TABLE IF EXISTS test.types_in", "CREATE TABLE test.types_in (" + COLUMNS + ") DEFAULT CHARSET=utf8mb4");
    }

    @AfterClass
    public static void down() {
        junction.close();
    }

    @Test
    public void mariadbDriverReadsEveryTypeIdentically() throws Exception {
        int direct = junction.dbPorts.get(0);
        for (String params : URL_PARAMS_MARIADB) {
            compare(TestDatabases.mariadbUrl(direct, params), junction.mariadbUrl(params));
        }
    }

    @Test
    public void mysqlDriverReadsEveryTypeIdentically() throws Exception {
        int direct = junction.dbPorts.get(0);
        for (String params : URL_PARAMS_MYSQL) {
            compare(TestDatabases.mysqlUrl(direct, params), junction.mysqlUrl(params));
        }
    }

    private static void compare(String directUrl, String junctionUrl) throws Exception {
        try (Connection d = DriverManager.getConnection(directUrl); Connection j = DriverManager.getConnection(junctionUrl)) {
            assertEquals(read(d, false), read(j, false));
            assertEquals(read(d, true), read(j, true));
        }
    }

    /** Every value of every row as text, with its class and raw bytes. */
    private static List<String> read(Connection c, boolean prepared) throws Exception {
        List<String> out = new ArrayList<>();
        for (int id = 1; id <= 3; id++) {
            ResultSet rs;
            Statement holder;
            if (prepared) {
                PreparedStatement ps = c.prepareStatement("SELECT * FROM test.types WHERE id = ?");
                ps.setInt(1, id);
                rs = ps.executeQuery();
                holder = ps;
            } else {
                holder = c.createStatement();
                rs = holder.executeQuery("SELECT * FROM test.types WHERE id = " + id);
            }
            try (Statement s = holder; ResultSet r = rs) {
                ResultSetMetaData md = r.getMetaData();
                assertTrue(r.next());
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    int col = i;
                    // MariaDB's extended type info (JSON shown as JSON instead of LONGTEXT) is a MariaDB-only
                    // capability Junction does not offer; the values are the same.
                    String typeName = md.getColumnTypeName(i).replace("JSON", "LONGTEXT");
                    out.add(md.getColumnName(i) + ":" + md.getColumnType(i) + ":" + typeName
                            + " object=" + attempt(() -> {
                                Object o = r.getObject(col);
                                return o == null ? "null" : o.getClass().getSimpleName() + ":"
                                        + (o instanceof byte[] ? Arrays.toString((byte[]) o) : Objects.toString(o));
                            })
                            + " string=" + attempt(() -> r.getString(col))
                            + " bytes=" + attempt(() -> {
                                byte[] raw = r.getBytes(col);
                                return raw == null ? "null" : Integer.toString(Arrays.hashCode(raw));
                            }));
                }
            }
        }
        return out;
    }

    private interface Read {
        String get() throws Exception;
    }

    /** The value, or the failure (same failure direct and through Junction is also identical behaviour). */
    private static String attempt(Read r) {
        try {
            return r.get();
        } catch (Exception e) {
            return e.getClass().getSimpleName() + ":" + String.valueOf(e.getMessage()).replaceAll("\\(conn=\\d+\\) ", "");
        }
    }

    @Test
    public void valuesWrittenThroughJunctionReadBackIdentically() throws Exception {
        String[] urls = {junction.mariadbUrl("useServerPrepStmts=false"), junction.mariadbUrl("useServerPrepStmts=true"),
            junction.mysqlUrl("useServerPrepStmts=false"), junction.mysqlUrl("useServerPrepStmts=true")};
        int direct = junction.dbPorts.get(0);
        try (Connection d = DriverManager.getConnection(TestDatabases.mariadbUrl(direct, ""))) {
            for (String url : urls) {
                try (Connection j = DriverManager.getConnection(url)) {
                    j.setAutoCommit(false);
                    try (Statement s = j.createStatement()) {
                        s.execute("DELETE FROM test.types_in");
                    }
                    List<Object[]> source = new ArrayList<>();
                    try (Statement s = d.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM test.types")) {
                        ResultSetMetaData md = rs.getMetaData();
                        int n = md.getColumnCount();
                        while (rs.next()) {
                            Object[] row = new Object[n];
                            for (int i = 0; i < n; i++) {
                                String type = md.getColumnTypeName(i + 1).toUpperCase();
                                boolean binary = type.contains("BLOB") || type.contains("BINARY") || type.equals("BIT");
                                row[i] = binary ? rs.getBytes(i + 1) : rs.getString(i + 1);
                            }
                            source.add(row);
                        }
                    }
                    String marks = String.join(",", java.util.Collections.nCopies(source.get(0).length, "?"));
                    try (PreparedStatement ins = j.prepareStatement("INSERT INTO test.types_in VALUES (" + marks + ")")) {
                        for (Object[] row : source) {
                            for (int i = 0; i < row.length; i++) {
                                if (row[i] instanceof byte[]) {
                                    ins.setBytes(i + 1, (byte[]) row[i]);
                                } else {
                                    ins.setString(i + 1, (String) row[i]);
                                }
                            }
                            assertEquals(1, ins.executeUpdate());
                        }
                    }
                    try (Statement s = j.createStatement();
                            ResultSet a = s.executeQuery("SELECT COUNT(*) FROM test.types t JOIN test.types_in i"
                                    + " ON t.id = i.id AND t.c_bigint <=> i.c_bigint AND t.c_ubigint <=> i.c_ubigint"
                                    + " AND t.c_decimal <=> i.c_decimal AND t.c_datetime <=> i.c_datetime"
                                    + " AND t.c_varchar <=> i.c_varchar AND t.c_longblob <=> i.c_longblob"
                                    + " AND t.c_mediumtext <=> i.c_mediumtext AND t.c_binary <=> i.c_binary"
                                    + " AND t.c_time <=> i.c_time AND t.c_set <=> i.c_set")) {
                        a.next();
                        assertEquals(url, 3, a.getInt(1));
                    }
                    try (Statement s = j.createStatement();
                            ResultSet a = s.executeQuery("SELECT c_longblob FROM test.types_in WHERE id = 1")) {
                        a.next();
                        byte[] expected = new byte[100000];
                        Arrays.fill(expected, (byte) 0xfe);
                        assertArrayEquals(expected, a.getBytes(1));
                    }
                    j.rollback();
                }
            }
        }
    }
}
