package dev.junction.core.session;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class QuietWatchTest {

    /** The number of checks until quiet is reported, after the check that saw the last event. */
    private static int checksUntilQuiet(QuietWatch w) {
        for (int i = 1; i <= 100; i++) {
            if (w.check(false)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    public void quietIsReportedAfterAWholePeriodWithoutEvents() {
        QuietWatch w = new QuietWatch();
        w.event();
        assertFalse("the first check sees the event", w.check(false));
        assertEquals(QuietWatch.CHECKS, checksUntilQuiet(w));
    }

    @Test
    public void anEventStartsThePeriodAgain() {
        QuietWatch w = new QuietWatch();
        for (int i = 0; i < QuietWatch.CHECKS - 1; i++) {
            assertFalse(w.check(false));
        }
        w.event();
        assertFalse(w.check(false));
        assertEquals(QuietWatch.CHECKS, checksUntilQuiet(w));
    }

    @Test
    public void aHeldWatchIsNeverQuiet() {
        QuietWatch w = new QuietWatch();
        for (int i = 0; i < 3 * QuietWatch.CHECKS; i++) {
            assertFalse(w.check(true));
        }
        assertEquals("held checks do not count", QuietWatch.CHECKS, checksUntilQuiet(w));
    }

    @Test
    public void theCheckIntervalsCoverThePeriod() {
        assertEquals(250, QuietWatch.checkIntervalMillis(1000));
        assertEquals(251, QuietWatch.checkIntervalMillis(1001));
        assertEquals(1, QuietWatch.checkIntervalMillis(1));
        assertTrue(QuietWatch.CHECKS * QuietWatch.checkIntervalMillis(2003) >= 2003);
    }
}
