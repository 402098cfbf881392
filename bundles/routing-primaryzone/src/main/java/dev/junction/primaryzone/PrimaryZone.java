package dev.junction.primaryzone;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A primary zone string, e.g. {@code z1;z2,z3}: priority groups separated by {@code ;}, zones of equal priority
 * joined by {@code ,}. OceanBase's {@code RANDOM} (every zone equal) parses to no groups.
 */
public final class PrimaryZone {

    private static final Pattern ZONE = Pattern.compile("[A-Za-z0-9_.-]+");

    private final String text;
    private final List<List<String>> groups;

    private PrimaryZone(String text, List<List<String>> groups) {
        this.text = text;
        this.groups = groups;
    }

    /** Thrown for a string that is not a primary zone; the message says what is wrong. */
    public static final class Malformed extends Exception {
        Malformed(String message) {
            super(message);
        }
    }

    public static PrimaryZone parse(String text) throws Malformed {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) {
            throw new Malformed("empty primary zone");
        }
        if (t.equalsIgnoreCase("RANDOM")) {
            return new PrimaryZone(t, List.of());
        }
        List<List<String>> groups = new ArrayList<>();
        for (String g : t.split(";", -1)) {
            List<String> zones = new ArrayList<>();
            for (String z : g.split(",", -1)) {
                String name = z.trim();
                if (name.isEmpty()) {
                    throw new Malformed("'" + t + "' has an empty zone name (zones are joined by ',' and priority groups"
                            + " separated by ';', e.g. z1;z2,z3)");
                }
                if (!ZONE.matcher(name).matches()) {
                    throw new Malformed("'" + t + "': '" + name + "' is not a zone name (letters, digits, '_', '-', '.')");
                }
                for (List<String> earlier : groups) {
                    if (earlier.contains(name.toLowerCase(Locale.ROOT))) {
                        throw new Malformed("'" + t + "' names zone " + name + " twice");
                    }
                }
                if (zones.contains(name.toLowerCase(Locale.ROOT))) {
                    throw new Malformed("'" + t + "' names zone " + name + " twice");
                }
                zones.add(name.toLowerCase(Locale.ROOT));
            }
            groups.add(List.copyOf(zones));
        }
        return new PrimaryZone(t, List.copyOf(groups));
    }

    /** The priority groups, first first; empty for {@code RANDOM}. */
    public List<List<String>> groups() {
        return groups;
    }

    /** The group index of a zone (0 first), or -1 when the zone is not named. */
    public int priorityOf(String zone) {
        for (int i = 0; i < groups.size(); i++) {
            List<String> g = groups.get(i);
            for (int j = 0; j < g.size(); j++) {
                if (g.get(j).equalsIgnoreCase(zone)) {
                    return i;
                }
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return text;
    }
}
