package dev.junction.core.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes keys into an {@code etc/*.cfg} file the way an operator would: each key's line is replaced in place,
 * new keys are appended, comments and other lines stay. The new file replaces the old one by an atomic rename,
 * so a process killed mid-write never leaves a truncated configuration behind.
 */
public final class CfgFile {

    private static final Pattern KEY_LINE = Pattern.compile("^\\s*([^#!\\s=:][^=:\\s]*)\\s*[=:].*$");

    private CfgFile() {
    }

    /** Sets {@code keys} (null value: remove the key) in {@code file}, creating it if needed. */
    public static void setKeys(Path file, Map<String, String> keys) throws IOException {
        List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : new ArrayList<>();
        List<String> out = new ArrayList<>(lines.size() + keys.size());
        Map<String, String> pending = new LinkedHashMap<>(keys);
        for (String line : lines) {
            Matcher m = KEY_LINE.matcher(line);
            if (m.matches() && keys.containsKey(m.group(1))) {
                String key = m.group(1);
                if (pending.containsKey(key)) {
                    String value = pending.remove(key);
                    if (value != null) {
                        out.add(key + " = " + value);
                    }
                }
                continue; // a duplicate line of a key already written
            }
            out.add(line);
        }
        pending.forEach((k, v) -> {
            if (v != null) {
                out.add(k + " = " + v);
            }
        });
        Files.createDirectories(file.toAbsolutePath().getParent());
        // A dot-file: File Install ignores it until the rename makes the whole new file appear at once.
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.write(tmp, out, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
