package io.foldin.bench;

import java.util.concurrent.atomic.LongAdder;

/**
 * The hand-written histogram foldin had before Micrometer (io.foldin.metrics.Histogram at b85305c, exposition
 * removed), kept only so {@link MetricsBench} can compare its per-event cost with the Micrometer timer.
 * A Prometheus histogram with fixed bucket bounds (seconds, for durations), lock-free to record:
 * each observation increments the first bucket whose bound it does not exceed; the text format
 * then cumulates them. Quantiles are estimated from the buckets (upper bound of the bucket that
 * reaches the rank), good to one bucket's width.
 */
final class HandWrittenHistogram {
    /** 50 µs to 10 s, three buckets per decade, finer between 50 and 500 ms where freshness targets sit. */
    public static final double[] LATENCY_BOUNDS = {
        0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25,
        0.3, 0.4, 0.5, 0.75, 1, 2.5, 5, 10};

    private final double[] bounds;
    private final LongAdder[] buckets;
    private final LongAdder count = new LongAdder();
    private final DoubleAdderLite sum = new DoubleAdderLite();

    HandWrittenHistogram(double[] bounds) {
        this.bounds = bounds.clone();
        this.buckets = new LongAdder[bounds.length + 1];
        for (int b = 0; b < buckets.length; b++) {
            buckets[b] = new LongAdder();
        }
    }

    static HandWrittenHistogram latency() {
        return new HandWrittenHistogram(LATENCY_BOUNDS);
    }

    public void observeNanos(long nanos) {
        observe(nanos * 1e-9);
    }

    /** Observes the time since {@code epochMillis} (a record's timestamp), 0 if that lies ahead. */
    public void observeSince(long epochMillis) {
        observe(Math.max(0, System.currentTimeMillis() - epochMillis) / 1000.0);
    }

    public void observe(double seconds) {
        int b = 0;
        while (b < bounds.length && seconds > bounds[b]) {
            b++;
        }
        buckets[b].increment();
        count.increment();
        sum.add(seconds);
    }

    public long count() {
        return count.sum();
    }

    public double sum() {
        return sum.sum();
    }

    /** Upper bound of the bucket holding quantile q (+Inf past the last bound), NaN when empty. */
    public double quantile(double q) {
        long total = count();
        if (total == 0) {
            return Double.NaN;
        }
        long rank = (long) Math.ceil(q * total);
        long acc = 0;
        for (int b = 0; b < bounds.length; b++) {
            acc += buckets[b].sum();
            if (acc >= rank) {
                return bounds[b];
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    /** A double accumulator without DoubleAdder's boxing-free but allocation-heavy cells. */
    private static final class DoubleAdderLite {
        private final java.util.concurrent.atomic.AtomicLong bits = new java.util.concurrent.atomic.AtomicLong();

        void add(double v) {
            long prev;
            long next;
            do {
                prev = bits.get();
                next = Double.doubleToRawLongBits(Double.longBitsToDouble(prev) + v);
            } while (!bits.compareAndSet(prev, next));
        }

        double sum() {
            return Double.longBitsToDouble(bits.get());
        }
    }
}
