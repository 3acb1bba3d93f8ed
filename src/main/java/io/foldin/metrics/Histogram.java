package io.foldin.metrics;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.concurrent.TimeUnit;

/**
 * One labelled histogram of a {@link Metric} (a Micrometer {@link Timer} for durations, in seconds, or a
 * {@link DistributionSummary} for other values), exported with its fixed bucket bounds. Callers keep the
 * object: recording is the meter's own lock-free update, with no registry lookup.
 *
 * <p>Quantiles are estimated from the buckets: the upper bound of the first bucket whose cumulative count
 * reaches the rank {@code ceil(q · n)}, so good to one bucket's width; +Inf past the last bound.
 */
public final class Histogram {
    private final Timer timer;
    private final DistributionSummary summary;

    Histogram(Timer timer) {
        this.timer = timer;
        this.summary = null;
    }

    Histogram(DistributionSummary summary) {
        this.timer = null;
        this.summary = summary;
    }

    public void observeNanos(long nanos) {
        if (timer != null) {
            timer.record(nanos, TimeUnit.NANOSECONDS);
        } else {
            summary.record(nanos * 1e-9);
        }
    }

    /** Observes the time since {@code epochMillis} (a record's timestamp), 0 if that lies ahead. */
    public void observeSince(long epochMillis) {
        observeNanos(Math.max(0, System.currentTimeMillis() - epochMillis) * 1_000_000L);
    }

    /** Records {@code value}: seconds for a duration histogram. */
    public void observe(double value) {
        if (timer != null) {
            timer.record(Math.round(value * 1e9), TimeUnit.NANOSECONDS);
        } else {
            summary.record(value);
        }
    }

    public long count() {
        return timer != null ? timer.count() : summary.count();
    }

    /** Sum of the observations (seconds for durations). */
    public double sum() {
        return timer != null ? timer.totalTime(TimeUnit.SECONDS) : summary.totalAmount();
    }

    /** Upper bound of the bucket holding quantile q (+Inf past the last bound), NaN when empty. */
    public double quantile(double q) {
        HistogramSnapshot s = timer != null ? timer.takeSnapshot() : summary.takeSnapshot();
        long total = s.count();
        if (total == 0) {
            return Double.NaN;
        }
        long rank = (long) Math.ceil(q * total);
        for (CountAtBucket b : s.histogramCounts()) {
            // Micrometer's bucket counts are cumulative (events at or below the bound), as Prometheus' are.
            if (b.count() >= rank) {
                return timer != null ? b.bucket(TimeUnit.SECONDS) : b.bucket();
            }
        }
        return Double.POSITIVE_INFINITY;
    }
}
