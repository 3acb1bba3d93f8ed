package io.foldin.data.twin;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * When users arrive and when they rate.
 *
 * <p>Bounds are ml-32m's first and last rating, 1995-01-09 11:46:44 and 2023-10-13 02:29:07 UTC.
 * A user arrives in year y with probability ∝ {@link #ARRIVALS}[y − 1995], uniformly within the
 * year: a rough reading of published plots of MovieLens growth (the 1996 launch, the 1999–2000
 * peak, a lull, the 2015–2019 rebound), an assumption rather than a measurement. The user then
 * stays for a span that is a single sitting (10 min – 6 h) with probability 0.4, else log-normal
 * with median 90 days and σ = 1.8, at least 30 s per rating, and cut at the end of the data. A
 * rating falls at {@code start + span · x²}, x uniform: front-loaded, as most MovieLens ratings
 * come in a user's first sessions.
 */
final class Timeline {
    static final long T_MIN = 789_652_004L;
    static final long T_MAX = 1_697_164_147L;
    static final int FIRST_YEAR = 1995;
    /** Relative share of users arriving in 1995, 1996, ..., 2023. */
    private static final double[] ARRIVALS = {0.1, 6, 3, 1.5, 4, 7, 3.5, 2.5, 2.5, 2.5, 3.5, 2.5, 2.3, 2.5, 2,
        1.8, 1.6, 1.5, 1.1, 1.1, 4.5, 5.5, 5, 4.5, 4.5, 4.5, 3.5, 3, 2.2};
    private static final double SINGLE_SITTING = 0.4;
    private static final double MEDIAN_SPAN = 90 * 86_400.0;
    private static final double SPAN_SIGMA = 1.8;

    private final long[] yearStart = new long[ARRIVALS.length + 1];
    private final AliasTable years;

    Timeline() {
        for (int y = 0; y <= ARRIVALS.length; y++) {
            yearStart[y] = LocalDate.of(FIRST_YEAR + y, 1, 1).toEpochDay() * 86_400L;
        }
        years = new AliasTable(ARRIVALS);
    }

    /** First second of a user's activity. */
    long arrival(SplitMix rng) {
        int y = years.sample(rng);
        long from = Math.max(T_MIN, yearStart[y]);
        long to = Math.min(T_MAX, yearStart[y + 1]);
        return from + (long) (rng.nextDouble() * (to - from));
    }

    /** Length in seconds of the activity of a user with {@code ratings} ratings arriving at {@code start}. */
    long span(SplitMix rng, long start, int ratings) {
        double s;
        if (rng.nextDouble() < SINGLE_SITTING) {
            s = 600 + rng.nextDouble() * (6 * 3600 - 600);
        } else {
            s = MEDIAN_SPAN * StrictMath.exp(SPAN_SIGMA * rng.nextGaussian());
        }
        s = Math.max(s, 30.0 * ratings);
        return (long) Math.min(s, T_MAX - start);
    }

    /** A rating time in [start, start + span], front-loaded. */
    static long at(SplitMix rng, long start, long span) {
        double x = rng.nextDouble();
        return start + (long) (span * x * x);
    }

    /** Calendar year (UTC) of a Unix time. */
    static int yearOf(long epochSecond) {
        return Instant.ofEpochSecond(epochSecond).atZone(ZoneOffset.UTC).getYear();
    }
}
