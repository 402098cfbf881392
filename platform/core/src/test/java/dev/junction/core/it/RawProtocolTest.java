package dev.junction.core.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/** Commands drivers rarely send, checked packet by packet: COM_FIELD_LIST, COM_STATISTICS, COM_SET_OPTION, COM_INIT_DB, COM_CHANGE_USER. */
public class RawProtocolTest {

    private static JunctionFixture junction;

    @BeforeClass
    public static void up() throws Exception {
        junction = JunctionFixture.start(Map.of());
    }

    @AfterClass
    public static void down() {
        junction.close();
    }

    @Test
    public void fieldListStatisticsInitDbAndSetOption() throws Exception {
        try (RawClient c = new RawClient(junction.port)) {
            assertTrue(RawClient.isOk(c.login("app", "secret")));
            assertTrue(RawClient.isOk(c.command(0x02, "test"))); // COM_INIT_DB
            byte[] first = c.command(0x04, "whoami\0"); // COM_FIELD_LIST: column definitions then EOF
            assertEquals(3, first[0]); // "def"
            byte[] next = c.readPayload();
            assertTrue((next[0] & 0xff) == 0xfe && next.length < 9);
            byte[] stats = c.command(0x09, ""); // COM_STATISTICS: one string packet
            assertTrue(RawClient.text(stats), RawClient.text(stats).startsWith("Uptime"));
            byte[] opt = c.command(0x1b, "\1\0"); // COM_SET_OPTION multi statements off: EOF
            assertEquals(0xfe, opt[0] & 0xff);
            byte[] err = c.command(0x03, "SELECT 1; SELECT 2");
            assertTrue(RawClient.isErr(err));
            assertTrue(RawClient.isErr(c.command(0x02, "no_such_db")));
            assertEquals(1049, RawClient.errorCode(c.command(0x02, "no_such_db")));
            byte[] ping = c.command(0x0e, "");
            assertTrue(RawClient.isOk(ping));
            byte[] unknown = c.command(0x7f, "");
            assertEquals(1047, RawClient.errorCode(unknown));
            byte[] col = c.command(0x03, "SELECT DATABASE()");
            assertEquals(1, col[0]);
        }
    }

    @Test
    public void changeUserStartsAFreshSession() throws Exception {
        try (RawClient c = new RawClient(junction.port)) {
            assertTrue(RawClient.isOk(c.login("app", "secret")));
            assertTrue(RawClient.isOk(c.command(0x03, "SET @x = 1")));
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
            b.write(0x11);
            b.write("app@app#demo\0".getBytes(StandardCharsets.UTF_8));
            byte[] scramble = new byte[20];
            byte[] hs = c.handshake;
            int p = 1;
            while (hs[p] != 0) {
                p++;
            }
            p += 1 + 4;
            System.arraycopy(hs, p, scramble, 0, 8);
            System.arraycopy(hs, p + 8 + 1 + 2 + 1 + 2 + 2 + 1 + 10, scramble, 8, 12);
            byte[] token = dev.junction.core.auth.NativePassword.token(
                    dev.junction.core.auth.NativePassword.sha1("secret".getBytes(StandardCharsets.UTF_8)), scramble);
            b.write(token.length);
            b.write(token);
            b.write("test\0".getBytes(StandardCharsets.UTF_8));
            b.write(45);
            b.write(0);
            b.write("mysql_native_password\0".getBytes(StandardCharsets.UTF_8));
            c.writePacket(0, b.toByteArray());
            assertTrue(RawClient.isOk(c.readPayload()));
            c.writePacket(0, "\3SELECT @x IS NULL, DATABASE()".getBytes(StandardCharsets.UTF_8));
            assertEquals(2, c.readPayload()[0]);
        }
    }
}
