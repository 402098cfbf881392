package dev.junction.core.it;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.Random;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/** Packets of 16 MB and more in both directions: a 32 MB BLOB in and out, with both drivers. */
public class BigPacketTest {

    private static final int SIZE = 32 * 1024 * 1024 + 123;
    private static JunctionFixture junction;
    private static byte[] blob;

    @BeforeClass
    public static void up() throws Exception {
        junction = JunctionFixture.start(Map.of("max_packet_size", String.valueOf(128 << 20)));
        TestDatabases.onEveryServer("DROP TABLE IF EXISTS test.big", "CREATE TABLE test.big (id INT PRIMARY KEY, b LONGBLOB)");
        blob = new byte[SIZE];
        new Random(7).nextBytes(blob);
    }

    @AfterClass
    public static void down() {
        junction.close();
        blob = null;
    }

    @Test
    public void blobOf32MegabytesGoesInAndOut() throws Exception {
        String[] urls = {junction.mariadbUrl("useServerPrepStmts=false"), junction.mariadbUrl("useServerPrepStmts=true"),
            junction.mysqlUrl("useServerPrepStmts=false"), junction.mysqlUrl("useServerPrepStmts=true")};
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
        int id = 0;
        for (String url : urls) {
            id++;
            try (Connection c = DriverManager.getConnection(url)) {
                c.setAutoCommit(false);
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO test.big VALUES (?, ?)")) {
                    ps.setInt(1, id);
                    ps.setBytes(2, blob);
                    assertEquals(1, ps.executeUpdate());
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT b, LENGTH(b), SHA2(b, 256) FROM test.big WHERE id = ?")) {
                    ps.setInt(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        assertTrue(rs.next());
                        assertEquals(SIZE, rs.getInt(2));
                        assertEquals(hex(digest), rs.getString(3));
                        assertArrayEquals(digest, MessageDigest.getInstance("SHA-256").digest(rs.getBytes(1)));
                    }
                }
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT b FROM test.big WHERE id = " + id)) {
                    assertTrue(rs.next());
                    assertArrayEquals(digest, MessageDigest.getInstance("SHA-256").digest(rs.getBytes(1)));
                }
                c.rollback();
            }
        }
    }

    private static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }
}
