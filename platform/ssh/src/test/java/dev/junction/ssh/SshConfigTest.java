package dev.junction.ssh;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class SshConfigTest {

    private static final Path HOME = Path.of("/opt/junction");

    private static SshConfig parse(Map<String, ?> props) throws SshConfig.Invalid {
        return SshConfig.parse(props, HOME);
    }

    private static List<String> problems(Map<String, ?> props) {
        try {
            parse(props);
            fail("expected the configuration to be rejected: " + props.keySet());
            return null;
        } catch (SshConfig.Invalid e) {
            return e.problems();
        }
    }

    @Test
    public void defaults() throws Exception {
        SshConfig cfg = parse(Map.of());
        assertEquals("127.0.0.1", cfg.host());
        assertEquals(8101, cfg.port());
        assertEquals("admin", cfg.user());
        assertFalse(cfg.passwordLogin());
        assertEquals(Path.of("/opt/junction/etc/authorized_keys"), cfg.authorizedKeys());
        assertEquals(Path.of("/opt/junction/data/ssh/host.key"), cfg.hostKey());
    }

    @Test
    public void valuesAndPaths() throws Exception {
        Map<String, Object> props = new HashMap<>();
        props.put("host", " 0.0.0.0 ");
        props.put("port", "2222");
        props.put("user", "ops");
        props.put("password", PasswordHash.hash("pw".toCharArray(), 1000));
        props.put("authorized_keys", "${junction.home}/etc/keys/admins");
        props.put("host_key", "data/host.key");
        props.put("felix.fileinstall.filename", "file:/opt/junction/etc/dev.junction.ssh.cfg");
        SshConfig cfg = parse(props);
        assertEquals("0.0.0.0", cfg.host());
        assertEquals(2222, cfg.port());
        assertEquals("ops", cfg.user());
        assertTrue(cfg.passwordLogin());
        assertTrue(cfg.password().matches("pw"));
        assertFalse(cfg.password().matches("pW"));
        assertEquals(Path.of("/opt/junction/etc/keys/admins"), cfg.authorizedKeys());
        assertEquals(Path.of("/opt/junction/data/host.key"), cfg.hostKey());
        assertFalse("toString must not show the hash", cfg.toString().contains(props.get("password").toString()));
    }

    @Test
    public void badPortNamesFileKeyAndProblem() {
        List<String> problems = problems(Map.of("port", "abc"));
        assertEquals(1, problems.size());
        String line = problems.get(0);
        assertTrue(line, line.contains("etc/dev.junction.ssh.cfg"));
        assertTrue(line, line.contains("port"));
        assertTrue(line, line.contains("'abc' is not a number"));

        assertTrue(problems(Map.of("port", "70000")).get(0).contains("not between 1 and 65535"));
        assertTrue(problems(Map.of("port", "0")).get(0).contains("not between 1 and 65535"));
    }

    @Test
    public void allProblemsAreReported() {
        List<String> problems = problems(Map.of("port", "x", "user", "bad user", "host_key", "${nope}/k"));
        assertEquals(problems.toString(), 3, problems.size());
    }

    @Test
    public void plainTextPasswordIsRejectedWithoutShowingIt() {
        for (String secret : List.of("hunter2", "{pbkdf2}x:y:z", "{pbkdf2}1000:!!!:???", "{pbkdf2}1000:c2FsdA==")) {
            List<String> problems = problems(Map.of("password", secret));
            assertEquals(1, problems.size());
            String line = problems.get(0);
            assertTrue(line, line.contains("etc/dev.junction.ssh.cfg") && line.contains("password"));
            assertFalse(line, line.contains(secret));
            assertFalse(line, line.contains(secret.replace("{pbkdf2}", "")));
        }
    }

    @Test
    public void blankPasswordDisablesPasswordLogin() throws Exception {
        assertFalse(parse(Map.of("password", "  ")).passwordLogin());
    }

    @Test
    public void restartOnlyForListenerChanges() throws Exception {
        SshConfig base = parse(Map.of());
        assertFalse(base.needsRestart(parse(Map.of("user", "ops", "password", PasswordHash.hash("x".toCharArray(), 10)))));
        assertTrue(base.needsRestart(parse(Map.of("port", "2222"))));
        assertTrue(base.needsRestart(parse(Map.of("host", "0.0.0.0"))));
        assertTrue(base.needsRestart(parse(Map.of("host_key", "data/other.key"))));
    }
}
