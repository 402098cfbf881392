package dev.junction.core.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import dev.junction.core.protocol.Capabilities;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * MariaDB's metadata caching through Junction, which rotates statements over two servers: servers leave out the
 * column definitions a client has; definitions another server sent are given back; a server without the capability
 * (behind a relay that hides it) gets the "metadata follows" byte added. Checked packet by packet and with MariaDB
 * Connector/J.
 */
public class MetadataCacheTest {

    static {
        LeakRecorder.install();
    }

    private static final String MARIADB_STYLE = "5.5.5-10.11.5-MariaDB-Junction";
    private static final int COM_STMT_PREPARE = 0x16;
    private static final int COM_STMT_EXECUTE = 0x17;
    private static final int TYPE_LONG = 0x03;

    /** In front of both shared servers, which cache metadata. */
    private static JunctionFixture junction;
    /** In front of one server through the relay (no caching) and one without. */
    private static JunctionFixture mixed;
    private static MetadataHidingRelay relay;

    @BeforeClass
    public static void up() throws Exception {
        List<Integer> ports = TestDatabases.ports();
        TestDatabases.onEveryServer("CREATE TABLE IF NOT EXISTS test.meta_same (id INT PRIMARY KEY, v INT)",
                "REPLACE INTO test.meta_same VALUES (1, 41)", "DROP TABLE IF EXISTS test.meta_diverge");
        // the same statement gives an INT on the first server and a VARCHAR on the second
        TestDatabases.onServer(ports.get(0), List.of("CREATE TABLE test.meta_diverge (id INT PRIMARY KEY, v INT)",
                "INSERT INTO test.meta_diverge VALUES (1, 41)"));
        TestDatabases.onServer(ports.get(1), List.of(
                "CREATE TABLE test.meta_diverge (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO test.meta_diverge VALUES (1, 'forty-two')"));
        junction = JunctionFixture.start(Map.of("server_version", MARIADB_STYLE));
        relay = new MetadataHidingRelay(ports.get(0));
        mixed = JunctionFixture.start(Map.of("server_version", MARIADB_STYLE), List.of(relay.port(), ports.get(1)));
    }

    @AfterClass
    public static void down() throws Exception {
        junction.close();
        mixed.close();
        relay.close();
    }

    @Test
    public void offeredOnlyWhenTheVersionIsMariadbStyle() throws Exception {
        try (RawClient c = new RawClient(junction.port)) {
            assertTrue(RawClient.isOk(c.login("app", "secret", Capabilities.MARIADB_CACHE_METADATA)));
            assertEquals(Capabilities.MARIADB_CACHE_METADATA, c.offeredMariadbCapabilities());
        }
        try (JunctionFixture plain = JunctionFixture.start(Map.of()); RawClient c = new RawClient(plain.port)) {
            assertTrue(RawClient.isOk(c.login("app", "secret", Capabilities.MARIADB_CACHE_METADATA)));
            assertEquals(0, c.offeredMariadbCapabilities());
            // the client's request is ignored: column counts carry no extra byte
            byte[] count = c.command(0x03, "SELECT v FROM test.meta_same WHERE id = 1");
            assertEquals(1, count.length);
        }
    }

    @Test
    public void executionsLeaveOutTheDefinitionsTheClientHas() throws Exception {
        try (RawClient c = new RawClient(junction.port)) {
            assertTrue(RawClient.isOk(c.login("app", "secret", Capabilities.MARIADB_CACHE_METADATA)));
            int id = prepare(c, "SELECT v FROM test.meta_same WHERE id = 1");
            for (int i = 0; i < 4; i++) { // on both servers (the second has it prepared by Junction)
                Execution e = execute(c, id);
                assertEquals("execution " + i + " skips the definitions", 0, e.definitions);
                assertEquals(41, e.value);
            }
            // text results say that the definitions follow, from Junction itself too
            byte[] count = c.command(0x03, "SELECT v FROM test.meta_same WHERE id = 1");
            assertEquals(2, count.length);
            assertEquals(1, count[1]);
            readRestOfTextResult(c, 1);
            count = c.command(0x03, "SHOW PROCESSLIST");
            assertEquals(1, count[1]);
            readRestOfTextResult(c, count[0]);
        }
    }

    @Test
    public void definitionsFromAnotherServerAreGivenBack() throws Exception {
        for (JunctionFixture j : new JunctionFixture[] {junction, mixed}) {
            try (RawClient c = new RawClient(j.port)) {
                assertTrue(RawClient.isOk(c.login("app", "secret", Capabilities.MARIADB_CACHE_METADATA)));
                int id = prepare(c, "SELECT v FROM test.meta_diverge WHERE id = 1");
                Set<Object> values = new HashSet<>();
                int given = 0;
                for (int i = 0; i < 6; i++) {
                    Execution e = execute(c, id);
                    values.add(e.value);
                    given += e.definitions;
                }
                // both servers answered, each row was decoded with its own server's definitions
                assertEquals(Set.of(41, "forty-two"), values);
                assertTrue(given >= 5); // each switch of server brings the definitions along
            }
        }
    }

    @Test
    public void serversWithoutTheCapabilityGetTheFlagAdded() throws Exception {
        try (RawClient c = new RawClient(mixed.port)) {
            assertTrue(RawClient.isOk(c.login("app", "secret", Capabilities.MARIADB_CACHE_METADATA)));
            for (int i = 0; i < 4; i++) { // both servers
                byte[] count = c.command(0x03, "SELECT v FROM test.meta_same WHERE id = 1");
                assertEquals(2, count.length);
                assertEquals(1, count[1]);
                readRestOfTextResult(c, 1);
            }
            int id = prepare(c, "SELECT v FROM test.meta_same WHERE id = 1");
            List<Integer> definitions = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Execution e = execute(c, id);
                assertEquals(41, e.value);
                definitions.add(e.definitions);
            }
            // the relayed server sends them every time, the other leaves them out
            assertTrue(definitions.toString(), definitions.contains(0) && definitions.contains(1));
        }
    }

    @Test
    public void mariadbConnectorJ() throws Exception {
        for (JunctionFixture j : new JunctionFixture[] {junction, mixed}) {
            try (Connection c = DriverManager.getConnection(j.mariadbUrl("useServerPrepStmts=true"));
                    PreparedStatement same = c.prepareStatement("SELECT v FROM test.meta_same WHERE id = ?");
                    PreparedStatement diverge = c.prepareStatement("SELECT v FROM test.meta_diverge WHERE id = ?");
                    Statement s = c.createStatement()) {
                Set<String> values = new HashSet<>();
                for (int i = 0; i < 6; i++) {
                    assertEquals("41", firstValue(same));
                    values.add(firstValue(diverge));
                    assertEquals("41", firstValue(s));
                }
                assertEquals(Set.of("41", "forty-two"), values);
                try (ResultSet rs = s.executeQuery("SHOW PROCESSLIST")) {
                    assertTrue(rs.next());
                }
            }
        }
    }

    @Test
    public void mysqlConnectorJIgnoresTheOffer() throws Exception {
        // MySQL Connector/J reads no extended capabilities: plain MySQL protocol on the MariaDB-style listener
        try (Connection c = DriverManager.getConnection(mixed.mysqlUrl("useServerPrepStmts=true"));
                PreparedStatement diverge = c.prepareStatement("SELECT v FROM test.meta_diverge WHERE id = ?");
                Statement s = c.createStatement()) {
            Set<String> values = new HashSet<>();
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 2; j++) { // twice: the servers take turns, so each statement meets both
                    values.add(firstValue(diverge));
                }
                assertEquals("41", firstValue(s));
            }
            assertEquals(Set.of("41", "forty-two"), values);
        }
    }

    /** The value of row 1 of a prepared {@code SELECT v ... WHERE id = ?}. */
    private static String firstValue(PreparedStatement ps) throws Exception {
        ps.setInt(1, 1);
        try (ResultSet rs = ps.executeQuery()) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }

    /** The value of row 1 of {@code test.meta_same}, as a text statement. */
    private static String firstValue(Statement s) throws Exception {
        try (ResultSet rs = s.executeQuery("SELECT v FROM test.meta_same WHERE id = 1")) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }

    /** Prepares {@code sql} (no parameters, one column); returns the statement id. */
    private static int prepare(RawClient c, String sql) throws Exception {
        byte[] ok = c.command(COM_STMT_PREPARE, sql);
        assertEquals(0, ok[0]);
        int id = (ok[1] & 0xff) | (ok[2] & 0xff) << 8 | (ok[3] & 0xff) << 16 | (ok[4] & 0xff) << 24;
        assertEquals(1, (ok[5] & 0xff) | (ok[6] & 0xff) << 8);
        assertEquals(0, (ok[7] & 0xff) | (ok[8] & 0xff) << 8);
        current = columnType(c.readPayload());
        assertEof(c.readPayload());
        return id;
    }

    /** The column type the client holds, as a client that caches metadata keeps it. */
    private static int current;

    private record Execution(int definitions, Object value) {
    }

    /**
     * Executes statement {@code id}, checking that sequence ids run on without a gap, and decodes the binary row with
     * the definitions that came along, or else the ones held.
     */
    private static Execution execute(RawClient c, int id) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(new byte[] {(byte) id, (byte) (id >> 8), (byte) (id >> 16), (byte) (id >> 24), 0, 1, 0, 0, 0});
        byte[] count = c.command(COM_STMT_EXECUTE, b.toByteArray());
        int seq = c.lastSeq;
        assertEquals(1, seq);
        assertEquals(2, count.length);
        assertEquals(1, count[0]);
        int definitions = count[1];
        if (definitions == 1) {
            current = columnType(c.readPayload());
            assertEquals(++seq, c.lastSeq);
        }
        assertEof(c.readPayload());
        assertEquals(++seq, c.lastSeq);
        byte[] row = c.readPayload();
        assertEquals(++seq, c.lastSeq);
        assertEof(c.readPayload());
        assertEquals(++seq, c.lastSeq);
        assertEquals(0, row[0]);
        Object value;
        if (current == TYPE_LONG) {
            assertEquals("an INT row is 4 bytes after the header and null bitmap", 6, row.length);
            value = (row[2] & 0xff) | (row[3] & 0xff) << 8 | (row[4] & 0xff) << 16 | (row[5] & 0xff) << 24;
        } else {
            assertEquals("a string row is its length and bytes after the header", row.length, 3 + (row[2] & 0xff));
            value = new String(row, 3, row[2] & 0xff, StandardCharsets.UTF_8);
        }
        return new Execution(definitions, value);
    }

    /** The type of a column definition (protocol 4.1): after six length-encoded strings and the 0x0c length. */
    private static int columnType(byte[] def) {
        int p = 0;
        for (int i = 0; i < 6; i++) {
            p += 1 + (def[p] & 0xff);
        }
        assertEquals(0x0c, def[p]);
        return def[p + 1 + 2 + 4] & 0xff;
    }

    private static void assertEof(byte[] p) {
        assertEquals(0xfe, p[0] & 0xff);
        assertTrue(p.length < 9);
    }

    /** Reads the column definitions, EOF, rows and final EOF of a text result whose column count was read. */
    private static void readRestOfTextResult(RawClient c, int columns) throws Exception {
        for (int i = 0; i < columns; i++) {
            assertNotEquals(0xfe, c.readPayload()[0] & 0xff);
        }
        assertEof(c.readPayload());
        byte[] p;
        do {
            p = c.readPayload();
        } while (!((p[0] & 0xff) == 0xfe && p.length < 9));
    }
}
