package dev.junction.core.config;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class CfgFileTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void replacesInPlaceAppendsRemovesAndKeepsComments() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("dev.junction.proxy.cfg");
        Files.writeString(file, "# listener\nlisten_port = 2883\n\n# loops\nworker_threads = 0\nold_key: x\nlisten_port=9\n");
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("listen_port", "3306");
        keys.put("old_key", null);
        keys.put("default_tenant", "app");
        CfgFile.setKeys(file, keys);
        assertEquals("# listener\nlisten_port = 3306\n\n# loops\nworker_threads = 0\ndefault_tenant = app\n", Files.readString(file));
        try (var files = Files.list(tmp.getRoot().toPath())) {
            assertFalse("no temporary file is left", files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        }
    }

    @Test
    public void createsAMissingFile() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("etc/dev.junction.routing.cfg");
        CfgFile.setKeys(file, Map.of("policy_budget", "5ms"));
        assertEquals("policy_budget = 5ms\n", Files.readString(file));
    }
}
