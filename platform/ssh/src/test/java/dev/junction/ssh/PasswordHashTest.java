package dev.junction.ssh;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.Test;

public class PasswordHashTest {

    @Test
    public void hashIsSaltedAndVerifies() {
        String a = PasswordHash.hash("correct horse".toCharArray(), 1000);
        String b = PasswordHash.hash("correct horse".toCharArray(), 1000);
        assertNotEquals("salted", a, b);
        assertTrue(a, a.matches("\\{pbkdf2}1000:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+"));
        assertTrue(PasswordHash.parse(a).matches("correct horse"));
        assertTrue(PasswordHash.parse(b).matches("correct horse"));
        assertFalse(PasswordHash.parse(a).matches("correct horse "));
        assertFalse(PasswordHash.parse(a).matches(""));
        assertFalse(PasswordHash.parse(a).matches(null));
    }

    @Test
    public void mainReadsStandardInput() throws Exception {
        InputStream oldIn = System.in;
        PrintStream oldOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setIn(new ByteArrayInputStream("pässword\n".getBytes(StandardCharsets.UTF_8)));
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            PasswordHash.main(new String[] {"--iterations", "2000"});
        } finally {
            System.setIn(oldIn);
            System.setOut(oldOut);
        }
        String printed = out.toString(StandardCharsets.UTF_8).trim();
        assertTrue(printed, printed.startsWith("{pbkdf2}2000:"));
        assertTrue(PasswordHash.parse(printed).matches("pässword"));
        assertEquals(1, printed.lines().count());
    }

    @Test
    public void defaultIterationsAreStrong() {
        String h = PasswordHash.hash("x".toCharArray());
        assertTrue(h, h.startsWith("{pbkdf2}" + PasswordHash.DEFAULT_ITERATIONS + ":"));
        assertTrue(PasswordHash.DEFAULT_ITERATIONS >= 600_000);
    }
}
