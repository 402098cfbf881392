package dev.junction.core.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.junction.core.net.Transport;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.Test;

/**
 * With {@code native_transport = false} the JDK's NIO carries the sockets, and writes take Netty's ordinary path
 * (no direct sends): text and prepared statements and a result of several megabytes (many partial writes) come back
 * whole, with both drivers.
 */
public class NioTransportTest {

    private static final int BIG = 6 * 1024 * 1024;

    @Test
    public void statementsAndALargeResultRoundTripOverNio() throws Exception {
        try (JunctionFixture junction = JunctionFixture.start(Map.of("native_transport", "false"))) {
            assertEquals(Transport.NIO, junction.server.transport());
            for (String url : new String[] {junction.mariadbUrl("useServerPrepStmts=true"),
                junction.mysqlUrl("useServerPrepStmts=false")}) {
                try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                    try (ResultSet rs = s.executeQuery("SELECT 1 + 1, REPEAT('ab', " + BIG / 2 + "), 'end'")) {
                        assertTrue(rs.next());
                        assertEquals(2, rs.getInt(1));
                        String big = rs.getString(2);
                        assertEquals(BIG, big.length());
                        assertTrue(big.startsWith("abab") && big.endsWith("abab"));
                        assertEquals("end", rs.getString(3));
                    }
                    try (PreparedStatement ps = c.prepareStatement("SELECT ? * 3")) {
                        for (int i = 0; i < 20; i++) {
                            ps.setInt(1, i);
                            try (ResultSet rs = ps.executeQuery()) {
                                assertTrue(rs.next());
                                assertEquals(3L * i, rs.getLong(1));
                            }
                        }
                    }
                }
            }
        }
    }
}
