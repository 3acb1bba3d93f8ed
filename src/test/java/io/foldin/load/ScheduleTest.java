package io.foldin.load;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScheduleTest {
    private static final long S = TimeUnit.SECONDS.toNanos(1);

    @Test
    void withoutRampRequestsAreEvenlySpaced() {
        LoadDriver.Schedule s = new LoadDriver.Schedule(2000, 0);
        assertEquals(2001, s.due(S), "requests 0..2000 are due at 1 s");
        assertEquals(500_000, s.at(1));
        assertEquals(S, s.at(2000));
        assertEquals(1, s.due(0), "request 0 is due at once");
    }

    /** Over a ramp of R seconds to rate r the count is r R / 2, then r per second. */
    @Test
    void rampSendsHalfTheFullRateVolumeThenFullRate() {
        LoadDriver.Schedule s = new LoadDriver.Schedule(2000, 30 * S);
        assertEquals(30_001, s.due(30 * S));
        assertEquals(7_501, s.due(15 * S), "a quarter of the ramp's volume by its middle");
        assertEquals(32_001, s.due(31 * S));
        assertEquals(30 * S, s.at(30_000));
    }

    @Test
    void intendedStartsAreIncreasingAndInvertDue() {
        LoadDriver.Schedule s = new LoadDriver.Schedule(1234, 7 * S);
        long prev = -1;
        for (long n = 0; n < 20_000; n++) {
            long t = s.at(n);
            assertTrue(t > prev, "request " + n);
            assertEquals(n + 1, s.due(t + 1), 1.0, "request " + n);
            prev = t;
        }
    }
}
