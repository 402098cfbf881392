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

/**
 * Line-by-line edits of a {@code .cfg} file: comments and other keys stay as they were. The new text must pass
 * {@code validate} whole before it is written to a temporary file beside the old one and renamed over it.
 */
final class CfgEdit {

    /** Checks a whole configuration; throws when the component would refuse it. */
    interface Validator {
        void validate(Map<String, Object> properties) throws WhitelistConfig.Invalid;
    }

    private CfgEdit() {
    }

    /** Sets {@code key = value}: replaces the key's line, or appends one. */
    static void set(Path file, String key, String value, Validator validator, String header)
            throws IOException, WhitelistConfig.Invalid {
        List<String> lines = read(file, header);
        List<String> out = new ArrayList<>(lines.size() + 1);
        boolean done = false;
        boolean continuing = false;
        for (String l : lines) {
            if (continuing) {
                continuing = l.endsWith("\\");
                continue;
            }
            if (key.equals(keyOf(l))) {
                continuing = l.endsWith("\\");
                if (!done) {
                    out.add(key + " = " + value);
                    done = true;
                }
                continue;
            }
            out.add(l);
        }
        if (!done) {
            out.add(key + " = " + value);
        }
        write(file, out, validator);
    }

    /** Removes every key starting with {@code prefix}; returns how many lines went. */
    static int removePrefix(Path file, String prefix, Validator validator, String header)
            throws IOException, WhitelistConfig.Invalid {
        List<String> lines = read(file, header);
        List<String> out = new ArrayList<>(lines.size());
        int removed = 0;
        boolean continuing = false;
        for (String l : lines) {
            if (continuing) {
                continuing = l.endsWith("\\");
                continue;
            }
            String k = keyOf(l);
            if (k != null && k.startsWith(prefix)) {
                continuing = l.endsWith("\\");
                removed++;
                continue;
            }
            out.add(l);
        }
        if (removed > 0) {
            write(file, out, validator);
        }
        return removed;
    }

    /** The key a {@code key = value} line sets, or null for comments and blank lines. */
    static String keyOf(String line) {
        String t = line.trim();
        if (t.isEmpty() || t.startsWith("#") || t.startsWith("!")) {
            return null;
        }
        int i = 0;
        while (i < t.length() && t.charAt(i) != '=' && t.charAt(i) != ':' && !Character.isWhitespace(t.charAt(i))) {
            i++;
        }
        return t.substring(0, i);
    }

    static List<String> read(Path file, String header) throws IOException {
        if (!Files.exists(file)) {
            List<String> lines = new ArrayList<>();
            lines.add(header);
            return lines;
        }
        return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    /** The settings of a file's text as ConfigAdmin would see them. */
    static Map<String, Object> properties(String text) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(text));
        Map<String, Object> map = new HashMap<>();
        for (String k : p.stringPropertyNames()) {
            map.put(k, p.getProperty(k));
        }
        return map;
    }

    static Map<String, Object> properties(Path file) throws IOException {
        return properties(Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "");
    }

    static void write(Path file, List<String> lines, Validator validator) throws IOException, WhitelistConfig.Invalid {
        String text = String.join("\n", lines) + "\n";
        validator.validate(properties(text)); // refuse to save what the component would refuse to load
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

    /** Reads the edited file back and applies it; says whether it is in force. */
    static dev.junction.api.admin.AdminTable reload(EditableRules rules, String done)
            throws dev.junction.api.admin.AdminCommandException {
        try {
            String problem = rules.configure(properties(rules.file()));
            return dev.junction.api.admin.AdminTable.message(done + (problem == null ? ", in force now"
                    : ", but not applied: " + problem));
        } catch (IOException e) {
            throw new dev.junction.api.admin.AdminCommandException(done + ", but reading it back failed: "
                    + e.getMessage());
        }
    }

    /** The file File Install read {@code properties} from ({@code felix.fileinstall.filename}), else {@code current}. */
    static Path fileOf(Map<String, ?> properties, Path current) {
        Object name = properties.get("felix.fileinstall.filename");
        if (name == null) {
            return current;
        }
        try {
            String f = String.valueOf(name);
            return f.startsWith("file:") ? java.nio.file.Paths.get(java.net.URI.create(f)) : java.nio.file.Paths.get(f);
        } catch (RuntimeException e) {
            return current;
        }
    }
}
