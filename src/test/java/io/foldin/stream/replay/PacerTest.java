package io.foldin.stream.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** On a fake clock: the schedule is exact, and sleeps are few. */
class PacerTest {
    private long now = 1_000_000_000_000L;
    private int sleeps;

    private Pacer pacer(double rate) {
        return new Pacer(rate, () -> now, nanos -> {
            sleeps++;
            now += nanos;
        });
    }

    @Test
    void holdsTheRateWithOneSleepPerMillisecondNotPerEvent() {
        Pacer p = pacer(100_000);
        long start = now;
        for (int k = 0; k < 200_000; k++) {
            p.acquire();
            now += 2_000; // 2 us of work per event: the producer alone would do 500k ev/s
        }
        double seconds = (now - start) / 1e9;
        assertEquals(2.0, seconds, 0.01);
        assertTrue(sleeps <= 2_100 && sleeps >= 1_000, "sleeps " + sleeps);
    }

    @Test
    void zeroRateNeverSleeps() {
        Pacer p = pacer(0);
        for (int k = 0; k < 10_000; k++) {
            p.acquire();
        }
        assertEquals(0, sleeps);
    }

    @Test
    void aLongStallCatchesUpAtMostOneSecondOfEvents() {
        Pacer p = pacer(1_000);
        p.acquire();
        now += 10_000_000_000L; // 10 s stall
        long stalledAt = now;
        int burst = 0;
        while (now == stalledAt) {
            p.acquire();
            burst++;
        }
        // 1 s backlog at 1000 ev/s, then the schedule sleeps again
        assertTrue(burst >= 999 && burst <= 1_002, "burst " + burst);
    }
}
