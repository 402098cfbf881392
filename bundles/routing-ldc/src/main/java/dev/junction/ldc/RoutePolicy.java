package dev.junction.ldc;

import java.util.Locale;

/**
 * How weak reads order leaders and followers (OBProxy's {@code proxy_route_policy}); within each step the
 * candidates follow {@link LdcClass} order.
 */
public enum RoutePolicy {
    /** Leaders and followers alike, by LDC class only (OBProxy's default). */
    MERGE_IDC_ORDER,
    /** Followers first, then leaders. */
    FOLLOWER_FIRST,
    /** Followers not in daily merge, then leaders not in merge, then the merging followers, then leaders. */
    UNMERGE_FOLLOWER_FIRST,
    /** Followers only: a weak read never goes to a leader, and fails when no follower is left to try. */
    FOLLOWER_ONLY;

    /** The policy named {@code text} (case-insensitive, quotes and blanks ignored), or null when unknown. */
    public static RoutePolicy named(String text) {
        String t = text.replace("'", "").replace("\"", "").trim().toUpperCase(Locale.ROOT);
        if (t.isEmpty()) {
            return MERGE_IDC_ORDER;
        }
        for (RoutePolicy p : values()) {
            if (p.name().equals(t)) {
                return p;
            }
        }
        return null;
    }

    /** The step a candidate falls in (lower first), or -1 when the policy leaves it out. */
    int step(boolean leader, boolean merging) {
        switch (this) {
            case FOLLOWER_FIRST:
                return leader ? 1 : 0;
            case UNMERGE_FOLLOWER_FIRST:
                return (merging ? 2 : 0) + (leader ? 1 : 0);
            case FOLLOWER_ONLY:
                return leader ? -1 : 0;
            default:
                return 0;
        }
    }
}
