package io.foldin.bench;

import io.foldin.metrics.Histogram;
import io.foldin.metrics.Metric;
import io.foldin.metrics.Metrics;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the per-event path pays for its metrics: a fold-in records one count and three durations per event
 * (UserFoldIn: fold-in time, user factor age, path age). foldin's {@link Histogram} (LongAdder buckets read at
 * scrape) against the hand-written histogram before Micrometer and the Micrometer timer with the same SLO
 * buckets that briefly replaced it, and the counter (a LongAdder) against Micrometer's own Counter. Shared
 * state, as on the stream threads. Run:
 * {@code mvn -q test-compile exec:exec -Djmh.args="MetricsBench"} (add {@code -t 2} for two threads).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MetricsBench {
    Metrics metrics;
    HandWrittenHistogram before;
    Histogram after;
    LongAdder counter;
    Counter micrometerCounter;
    io.micrometer.core.instrument.Timer plainTimer;
    io.micrometer.core.instrument.Timer bucketTimer;
    long nanos;

    @Setup
    public void setup() {
        metrics = new Metrics();
        before = HandWrittenHistogram.latency();
        after = metrics.histogram(Metric.FOLD_IN_SECONDS, "user");
        counter = metrics.counter(Metric.EVENTS, "user");
        micrometerCounter = Counter.builder("bench_events").register(metrics.registry());
        plainTimer = io.micrometer.core.instrument.Timer.builder("bench_plain").register(metrics.registry());
        bucketTimer = io.micrometer.core.instrument.Timer.builder("bench_buckets")
                .serviceLevelObjectives(Arrays.stream(HandWrittenHistogram.LATENCY_BOUNDS)
                        .mapToObj(b -> Duration.ofNanos(Math.round(b * 1e9))).toArray(Duration[]::new))
                .register(metrics.registry());
        nanos = 180_000; // a typical fold-in: 0.18 ms, past half of the buckets
    }

    @TearDown
    public void tearDown() {
        metrics.close();
    }

    @Benchmark
    public void histogramBefore() {
        before.observeNanos(nanos);
    }

    @Benchmark
    public void histogramFoldin() {
        after.observeNanos(nanos);
    }

    /** Micrometer's timer with the latency buckets as SLOs: what {@link Histogram} wrapped before. */
    @Benchmark
    public void timerWithBuckets() {
        bucketTimer.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Micrometer's timer alone (count, total, max in a time window): most of its cost is here, not in buckets. */
    @Benchmark
    public void timerWithoutBuckets() {
        plainTimer.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Benchmark
    public void counterLongAdder() {
        counter.increment();
    }

    @Benchmark
    public void counterMicrometer() {
        micrometerCounter.increment();
    }
}
