package dev.junction.core.routing;

import dev.junction.core.config.ConfigException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The accounts whose sessions read weakly unless they say otherwise ({@code weak_read_users}): e.g. reporting
 * users that may read from followers. Entries are {@code user}, {@code user@tenant} or {@code user@tenant#cluster}.
 */
public final class WeakReadUsers {

    public static final WeakReadUsers NONE = new WeakReadUsers(Set.of());
    private static final Pattern ENTRY = Pattern.compile("[^@#\\s,]+(@[^@#\\s,]+(#[^@#\\s,]+)?)?");

    private final Set<String> entries;

    private WeakReadUsers(Set<String> entries) {
        this.entries = entries;
    }

    /** Parses {@code weak_read_users} (comma-separated, empty for none). */
    public static WeakReadUsers parse(Map<String, ?> properties, String source) throws ConfigException {
        Object raw = properties.get("weak_read_users");
        if (raw == null || raw.toString().isBlank()) {
            return NONE;
        }
        Set<String> out = new HashSet<>();
        for (String e : raw.toString().split(",")) {
            String t = e.trim();
            if (!ENTRY.matcher(t).matches()) {
                throw new ConfigException(source + ": weak_read_users: '" + t
                        + "' is not user, user@tenant or user@tenant#cluster");
            }
            out.add(t.toLowerCase(Locale.ROOT));
        }
        return new WeakReadUsers(Set.copyOf(out));
    }

    public boolean readsWeakly(String user, String tenant, String cluster) {
        if (user == null) {
            return false;
        }
        String u = user.toLowerCase(Locale.ROOT);
        if (entries.contains(u)) {
            return true;
        }
        String ut = u + "@" + (tenant == null ? "" : tenant.toLowerCase(Locale.ROOT));
        return entries.contains(ut) || entries.contains(ut + "#" + (cluster == null ? "" : cluster.toLowerCase(Locale.ROOT)));
    }

    @Override
    public String toString() {
        return entries.toString();
    }
}
