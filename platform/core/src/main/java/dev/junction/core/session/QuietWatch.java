package dev.junction.core.session;

/**
 * Notices that something stayed quiet for a whole period without reading the clock per event (a clock read
 * per statement is a measurable part of relaying it): events only bump a counter, and a timer calls
 * {@link #check} {@link #CHECKS} times per period. Quiet is reported after that many checks in a row saw no
 * event, so never before the period is over and at most one check interval after.
 */
public final class QuietWatch {

    /** Checks per period: a quiet period is reported at most a quarter of a period late. */
    public static final int CHECKS = 4;

    private int events;
    private int eventsAtCheck;
    private int quietChecks;

    /** Something happened: the quiet period starts again. */
    public void event() {
        events++;
    }

    /**
     * One check. Returns true when no event happened since {@link #CHECKS} checks ago and nothing held the
     * watch ({@code held}: a state that does not count as quiet, e.g. a statement running, reading paused).
     */
    public boolean check(boolean held) {
        if (held || events != eventsAtCheck) {
            eventsAtCheck = events;
            quietChecks = 0;
            return false;
        }
        return ++quietChecks >= CHECKS;
    }

    /** The time between checks for a period of {@code periodMillis} (rounded up: CHECKS of them cover the period). */
    public static long checkIntervalMillis(long periodMillis) {
        return Math.max(1, (periodMillis + CHECKS - 1) / CHECKS);
    }
}
