package dev.junction.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** Reads framework properties, expanding {@code ${junction.home}} and other system properties. */
final class FrameworkProperties {

    private FrameworkProperties() {
    }

    static Map<String, String> load(Path home, Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            throw new IOException(file + " is missing (framework properties)");
        }
        Map<String, String> out = new HashMap<>();
        for (String key : p.stringPropertyNames()) {
            out.put(key, expand(p.getProperty(key), home, file, key));
        }
        // System properties given on the command line win (e.g. -Dorg.osgi.framework.storage=...).
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith("felix.") || key.startsWith("org.osgi.") || key.startsWith("gosh.")) {
                out.put(key, System.getProperty(key));
            }
        }
        return out;
    }

    static String expand(String value, Path home, Path file, String key) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < value.length()) {
            int start = value.indexOf("${", i);
            if (start < 0) {
                out.append(value, i, value.length());
                break;
            }
            int end = value.indexOf('}', start);
            if (end < 0) {
                throw new IllegalArgumentException(file + ": unterminated ${ in " + key);
            }
            out.append(value, i, start);
            String name = value.substring(start + 2, end);
            String v = name.equals("junction.home") ? home.toString() : System.getProperty(name);
            if (v == null) {
                throw new IllegalArgumentException(file + ": " + key + " refers to unknown property ${" + name + "}");
            }
            out.append(v);
            i = end + 1;
        }
        return out.toString();
    }
}
