package dev.junction.ratelimit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        return CfgEdit.read(file, "# Junction whitelist and connection limits (written by the whitelist command)");
    }

    private static void write(Path file, List<String> lines) throws IOException, WhitelistConfig.Invalid {
        CfgEdit.write(file, lines, WhitelistConfig::parse);
    }
}
