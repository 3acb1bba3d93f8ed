package io.foldin.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RecentMaxTest {
    private static final long W = RecentMax.WINDOW_NANOS;

    /** The max covers the window being filled and the one before it, and forgets what is older. */
    @Test
    void keepsTheLastTwoWindows() {
        RecentMax m = new RecentMax();
        long t0 = System.nanoTime();
        assertEquals(0, m.get(t0));
        m.accumulate(7);
        m.accumulate(3);
        assertEquals(7, m.get(t0 + W / 2));
        assertEquals(7, m.get(t0 + W)); // turns: 7 is now in the previous window
        m.accumulate(5);
        assertEquals(7, m.get(t0 + W + W / 2));
        assertEquals(5, m.get(t0 + 2 * W)); // turns again: the window holding 7 is gone
        assertEquals(0, m.get(t0 + 3 * W));
    }
}
