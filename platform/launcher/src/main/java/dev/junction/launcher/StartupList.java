package dev.junction.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The platform bundles to start, one path relative to the home folder per line, in start order.
 * Blank lines and lines starting with {@code #} are ignored.
 */
final class StartupList {

    private StartupList() {
    }

    static List<Path> load(Path home, Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IOException(file + " is missing (list of platform bundles)");
        }
        List<Path> out = new ArrayList<>();
        int n = 0;
        for (String line : lines) {
            n++;
            String s = line.trim();
            if (s.isEmpty() || s.startsWith("#")) {
                continue;
            }
            Path jar = home.resolve(s).normalize();
            if (!Files.isRegularFile(jar)) {
                throw new IOException(file + " line " + n + ": no such bundle " + jar);
            }
            out.add(jar);
        }
        return out;
    }

    /** Every jar in {@code dir}, sorted by name; none when the folder is absent. */
    static List<Path> folder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
    }
}
