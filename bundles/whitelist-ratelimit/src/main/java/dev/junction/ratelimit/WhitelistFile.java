package dev.junction.ratelimit;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Edits the whitelist file line by line, so comments and every other line stay as they were. The new text is
 * validated as a whole configuration first, then written to a temporary file beside it and renamed over it.
 */
final class WhitelistFile {

    private static final Pattern RULE_LINE = Pattern.compile("^\\s*rule\\.(\\d+)\\s*[=:\\s].*$");

    private WhitelistFile() {
    }

    /** Appends {@code rule.<next number> = <who> <addresses>}; returns the new rule's number. */
    static int add(Path file, String who, String addresses) throws IOException, WhitelistConfig.Invalid {
        List<String> lines = read(file);
        int max = 0;
        for (String l : lines) {
            Matcher m = RULE_LINE.matcher(l);
            if (m.matches()) {
                max = Math.max(max, Integer.parseInt(m.group(1)));
            }
        }
        int n = max + 1;
        String value = who.trim() + " " + String.join(",", addresses.trim().split("[,\\s]+"));
        lines.add("rule." + n + " = " + value);
        write(file, lines);
        return n;
    }

    /** Removes {@code rule.<n>} (and its continuation lines); false if there is none. */
    static boolean remove(Path file, int n) throws IOException, WhitelistConfig.Invalid {
        List<String> lines = read(file);
        List<String> out = new ArrayList<>(lines.size());
        boolean found = false;
        boolean continuing = false;
        for (String l : lines) {
            if (continuing) {
                continuing = l.endsWith("\\");
                continue;
            }
            Matcher m = RULE_LINE.matcher(l);
            if (m.matches() && Integer.parseInt(m.group(1)) == n) {
                found = true;
                continuing = l.endsWith("\\");
                continue;
            }
            out.add(l);
        }
        if (found) {
            write(file, out);
        }
        return found;
    }

    private static List<String> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            List<String> header = new ArrayList<>();
            header.add("# Junction whitelist and connection limits (written by junction:whitelist)");
            return header;
        }
        return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    /** The file's settings as ConfigAdmin would see them. */
    static Map<String, Object> properties(String text) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(text));
        Map<String, Object> map = new HashMap<>();
        for (String k : p.stringPropertyNames()) {
            map.put(k, p.getProperty(k));
        }
        return map;
    }

    private static void write(Path file, List<String> lines) throws IOException, WhitelistConfig.Invalid {
        String text = String.join("\n", lines) + "\n";
        WhitelistConfig.parse(properties(text)); // refuse to save what the component would refuse to load
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
