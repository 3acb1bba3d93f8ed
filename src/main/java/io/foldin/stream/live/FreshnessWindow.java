package io.foldin.stream.live;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Quantiles of recent freshness (a rating's produce time to its item factor in this instance's table)
 * over a sliding window of the last {@code W} ticks, for the live page's charts. The Prometheus
 * histogram counts since start, so its quantiles hardly move after a while; a chart over time needs
 * the recent ones.
 *
 * <p>Buckets are log-spaced: bucket {@code b} holds ages in {@code (B_{b−1}, B_b]} with
 * {@code B_b = 1 ms · 10^{b/S}}, {@code S} = {@value #PER_DECADE} per decade up to {@code B} = 100 s
 * (ages ≤ 1 ms in bucket 0, beyond 100 s in the last). Over the window's counts {@code c_b}
 * ({@code n = Σ c_b}) the quantile q is the upper bound {@code B_b} of the first bucket with
 * {@code Σ_{j≤b} c_j ≥ ⌈q·n⌉}: at most a factor {@code 10^{1/S}} (12%) above the exact order statistic,
 * never below it.
 *
 * <p>Recording is lock-free (any thread); {@link #tick} and the readers are called from one timer.
 */
public final class FreshnessWindow {
    /** Buckets per decade of age. */
    public static final int PER_DECADE = 20;
    private static final double MIN_SECONDS = 1e-3;
    private static final int BOUNDS = 5 * PER_DECADE + 1; // 1 ms .. 100 s

    /** Quantiles of the last window, NaN when it saw no observation. */
    public record Quantiles(double p50, double p99, long count) {
        public static final Quantiles EMPTY = new Quantiles(Double.NaN, Double.NaN, 0);
    }

    private final AtomicLongArray current = new AtomicLongArray(BOUNDS + 1);
    private final long[][] ring;
    private int slot;
    private volatile Quantiles last = Quantiles.EMPTY;

    /** @param ticks the window, in ticks (the page's service ticks once a second) */
    public FreshnessWindow(int ticks) {
        if (ticks < 1) {
            throw new IllegalArgumentException("window of " + ticks + " ticks");
        }
        ring = new long[ticks][BOUNDS + 1];
    }

    /** Upper bound of bucket b in seconds, {@code 1 ms · 10^{b/S}}; +∞ for the overflow bucket. */
    public static double bound(int b) {
        return b >= BOUNDS ? Double.POSITIVE_INFINITY : MIN_SECONDS * Math.pow(10, (double) b / PER_DECADE);
    }

    /** The bucket of an age: the least b with {@code age ≤ B_b}. */
    static int bucket(double seconds) {
        if (!(seconds > MIN_SECONDS)) {
            return 0;
        }
        int b = (int) Math.ceil(Math.log10(seconds / MIN_SECONDS) * PER_DECADE);
        // log10 rounding may put an age exactly on a bound one bucket off
        while (b > 0 && b <= BOUNDS && seconds <= bound(b - 1)) {
            b--;
        }
        while (b < BOUNDS && seconds > bound(b)) {
            b++;
        }
        return Math.min(b, BOUNDS);
    }

    public void observe(double seconds) {
        current.incrementAndGet(bucket(seconds));
    }

    /** Observes the time since {@code epochMillis} (a record timestamp), 0 when that lies ahead. */
    public void observeSince(long epochMillis) {
        observe(Math.max(0, System.currentTimeMillis() - epochMillis) / 1000.0);
    }

    /** Ends the current tick: its counts replace the window's oldest, and the quantiles are recomputed. */
    public synchronized void tick() {
        slot = (slot + 1) % ring.length;
        long[] into = ring[slot];
        for (int b = 0; b <= BOUNDS; b++) {
            into[b] = current.getAndSet(b, 0);
        }
        long[] sum = new long[BOUNDS + 1];
        for (long[] s : ring) {
            for (int b = 0; b <= BOUNDS; b++) {
                sum[b] += s[b];
            }
        }
        long n = 0;
        for (long c : sum) {
            n += c;
        }
        last = n == 0 ? Quantiles.EMPTY : new Quantiles(quantile(sum, n, 0.5), quantile(sum, n, 0.99), n);
    }

    /** The quantiles as of the last tick. */
    public Quantiles last() {
        return last;
    }

    /** Upper bound of the first bucket whose cumulative count reaches ⌈q·n⌉. */
    static double quantile(long[] counts, long n, double q) {
        long rank = Math.max(1, (long) Math.ceil(q * n));
        long acc = 0;
        for (int b = 0; b < counts.length; b++) {
            acc += counts[b];
            if (acc >= rank) {
                return bound(b);
            }
        }
        return Double.POSITIVE_INFINITY;
    }
}
