package dev.junction.core.session;

import dev.junction.core.sql.Assignment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Session system variables and user variables a client SET, in the order they were last set, each with a
 * version so a server connection can tell which ones it still lacks.
 */
public final class SessionVariables {

    /** A variable's latest assignment. */
    public record Entry(Assignment assignment, long version) {
    }

    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
    private long nextVersion = 1;
    private long stamp;

    /** Changes whenever the entries change: a server that has everything up to a stamp needs nothing while it stays. */
    public long stamp() {
        return stamp;
    }

    /** Records assignments that succeeded; returns the entries now current for them. */
    public List<Entry> apply(List<Assignment> assignments) {
        List<Entry> out = new ArrayList<>();
        for (Assignment a : assignments) {
            entries.remove(a.key());
            Entry e = new Entry(a, nextVersion++);
            entries.put(a.key(), e);
            out.add(e);
        }
        stamp++;
        return out;
    }

    /** Entries a server that has {@code applied} (key → version) still lacks: system variables first, then user variables. */
    public List<Entry> pending(Map<String, Long> applied) {
        if (entries.isEmpty()) {
            return List.of();
        }
        List<Entry> system = new ArrayList<>();
        List<Entry> user = new ArrayList<>();
        for (Entry e : entries.values()) {
            Long v = applied.get(e.assignment().key());
            if (v == null || v != e.version()) {
                (e.assignment().userVariable() ? user : system).add(e);
            }
        }
        system.addAll(user);
        return system;
    }

    public void clear() {
        entries.clear();
        stamp++;
    }

    /** The expression last assigned to {@code key} (lower-case system variable name or {@code @name}). */
    public Optional<String> expression(String key) {
        Entry e = entries.get(key);
        if (e == null) {
            return Optional.empty();
        }
        String sql = e.assignment().sql();
        int eq = sql.indexOf('=');
        return Optional.of(eq < 0 ? sql : sql.substring(eq + 1).trim());
    }
}
