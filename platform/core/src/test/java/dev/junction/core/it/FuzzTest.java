package dev.junction.core.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Bad input in every phase: Junction answers with ERR or closes that one connection, keeps serving a real
 * client, and the paranoid leak detector reports nothing.
 */
public class FuzzTest {

    private static JunctionFixture junction;

    @BeforeClass
    public static void up() throws Exception {
        junction = JunctionFixture.start(Map.of("login_timeout", "2s"));
    }

    @AfterClass
    public static void down() {
        junction.close();
    }

    /** The next thing Junction sends is an ERR packet, or it closes the connection. */
    private static int errOrClose(RawClient c) throws IOException {
        try {
            byte[] p = c.readPayload();
            assertTrue("expected ERR, got 0x" + Integer.toHexString(p.length == 0 ? -1 : p[0] & 0xff), RawClient.isErr(p));
            return RawClient.errorCode(p);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("neither ERR nor close");
        } catch (IOException closed) {
            return -1;
        }
    }

    private static RawClient loggedIn() throws IOException {
        RawClient c = new RawClient(junction.port);
        assertTrue(RawClient.isOk(c.login("app", "secret")));
        return c;
    }

    private static void assertStillServes() throws Exception {
        try (Connection c = DriverManager.getConnection(junction.mariadbUrl("")); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT 1 + 2")) {
            rs.next();
            assertEquals(3, rs.getInt(1));
        }
    }

    @Test
    public void badHandshakeResponses() throws Exception {
        try (RawClient c = new RawClient(junction.port)) {
            c.readPayload();
            c.writePacket(5, new byte[40]); // wrong sequence id
            assertEquals(1156, errOrClose(c));
        }
        try (RawClient c = new RawClient(junction.port)) {
            c.readPayload();
            c.writePacket(1, new byte[] {1, 2, 3}); // truncated handshake response
            assertEquals(1043, errOrClose(c));
        }
        try (RawClient c = new RawClient(junction.port)) {
            c.readPayload();
            byte[] garbage = new byte[200];
            new Random(1).nextBytes(garbage);
            garbage[1] |= 0x02; // protocol 4.1 flag, so parsing goes further
            c.writePacket(1, garbage);
            int code = errOrClose(c);
            assertTrue(code == 1043 || code == 1045 || code == -1);
        }
        try (RawClient c = new RawClient(junction.port)) {
            c.readPayload();
            c.writeRaw(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 9, 9, 9}); // 16 MB declared before login
            assertEquals(1153, errOrClose(c));
        }
        try (RawClient c = new RawClient(junction.port)) {
            c.readPayload();
            c.writeRaw(new byte[] {100, 0, 0, 1, 1, 2}); // truncated packet, then silence: login timeout
            assertEquals(1043, errOrClose(c));
        }
        try (RawClient c = new RawClient(junction.port)) {
            c.readPayload();
            c.writeRaw(new byte[] {32, 0, 0, 1, 0, 8, 0, 0}); // SSL request without TLS configured
            c.writeRaw(new byte[28]);
            assertEquals(1043, errOrClose(c));
        }
        assertStillServes();
    }

    @Test
    public void badCommands() throws Exception {
        try (RawClient c = loggedIn()) {
            c.writePacket(3, new byte[] {3, 'S'}); // command with a wrong sequence id
            assertEquals(1156, errOrClose(c));
        }
        try (RawClient c = loggedIn()) {
            c.writePacket(0, new byte[] {0x17, 1}); // short COM_STMT_EXECUTE
            assertEquals(1835, errOrClose(c));
            c.writePacket(0, new byte[] {0x17, 9, 0, 0, 0, 0, 1, 0, 0, 0}); // unknown statement id
            assertEquals(1243, errOrClose(c));
            c.writePacket(0, new byte[] {0x1c, 9, 0, 0, 0, 1, 0, 0, 0}); // fetch without statement
            assertEquals(1243, errOrClose(c));
            c.writePacket(0, new byte[0]); // empty command
            assertEquals(1835, errOrClose(c));
            assertEquals(1, c.command(0x03, "SELECT 1")[0]); // still serving this connection
        }
        try (RawClient c = loggedIn()) {
            c.writeRaw(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 3}); // 16 MB frame, never completed
            c.writeRaw(new byte[1000]);
        } // closed mid-packet
        try (RawClient c = loggedIn()) {
            // a packet of 16 MB whose continuation carries a wrong sequence id
            byte[] big = new byte[4 + 0xffffff];
            big[0] = big[1] = big[2] = (byte) 0xff;
            big[4] = 3;
            c.writeRaw(big);
            c.writeRaw(new byte[] {1, 0, 0, 7, 'x'});
            assertEquals(1156, errOrClose(c));
        }
        assertStillServes();
    }

    @Test
    public void randomBytesInEveryPhase() throws Exception {
        Random r = new Random(42);
        for (int i = 0; i < 60; i++) {
            int phase = i % 3;
            try (RawClient c = phase == 2 ? loggedIn() : new RawClient(junction.port)) {
                c.socket.setSoTimeout(300);
                if (phase == 1) {
                    c.readPayload();
                }
                for (int k = 0; k < 1 + r.nextInt(4); k++) {
                    byte[] junk = new byte[1 + r.nextInt(300)];
                    r.nextBytes(junk);
                    if (phase == 2 && r.nextBoolean()) {
                        junk[0] = (byte) (junk[0] & 0x1f); // a real command byte with random arguments
                        c.writePacket(0, junk);
                    } else {
                        c.writeRaw(junk);
                    }
                    try {
                        c.readPayload();
                    } catch (IOException timeoutOrClosed) {
                        // either is fine; Junction must merely survive
                    }
                }
            } catch (IOException closedEarly) {
                // Junction closed the connection: fine
            }
        }
        assertStillServes();
    }

    @Test
    public void noBufferLeaked() throws Exception {
        badHandshakeResponses();
        badCommands();
        assertStillServes();
        assertTrue("the leak recorder watches buffers", LeakRecorder.watched().contains("ByteBuf"));
        io.netty.buffer.ByteBuf probe = io.netty.buffer.PooledByteBufAllocator.DEFAULT.buffer(8);
        assertTrue(probe.getClass().getSimpleName(), probe.getClass().getSimpleName().contains("LeakAware"));
        probe.release();
        List<String> leaks = LeakRecorder.collect();
        assertTrue("leaks: " + leaks, leaks.isEmpty());
    }
}
