package io.foldin.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MetricsTest {
    private static final Pattern TYPE = Pattern.compile("^# TYPE (\\S+) (\\S+)$", Pattern.MULTILINE);

    /** Registers one meter of every declared metric, with tag values v_<key>. */
    private static Metrics everyMetric() {
        Metrics m = new Metrics();
        for (Metric x : Metric.values()) {
            String[] tags = x.tagKeys().stream().map(k -> "v_" + k).toArray(String[]::new);
            switch (x.type()) {
                case COUNTER -> m.counter(x, tags).add(3);
                case GAUGE -> m.gauge(x, () -> 1.5);
                default -> m.histogram(x, tags).observe(0.003);
            }
        }
        return m;
    }

    @Test
    void everyDeclaredMetricIsScrapedUnderItsDeclaredNameAndType() {
        String text = everyMetric().prometheusText();
        Map<String, String> types = new HashMap<>();
        Matcher t = TYPE.matcher(text);
        while (t.find()) {
            types.put(t.group(1), t.group(2));
        }
        for (Metric x : Metric.values()) {
            String want = switch (x.type()) {
                case COUNTER -> "counter";
                case GAUGE -> "gauge";
                default -> "histogram";
            };
            assertEquals(want, types.get(x.scrapedName()), x + " in\n" + text);
        }
        assertFalse(text.contains("_total_total"), text);
        assertTrue(text.contains("foldin_events_total{side=\"v_side\"} 3.0"), text);
        assertTrue(text.contains("foldin_sweep_bytes_total{topic=\"v_topic\"} 3.0"), text);
        // a timer is exported in seconds, with the declared buckets
        assertTrue(text.contains("foldin_fold_in_seconds_bucket{side=\"v_side\",le=\"0.0025\"} 0"), text);
        assertTrue(text.contains("foldin_fold_in_seconds_bucket{side=\"v_side\",le=\"0.005\"} 1"), text);
        assertTrue(text.contains("foldin_fold_in_seconds_sum{side=\"v_side\"} 0.003"), text);
        assertTrue(text.contains("foldin_scan_batch_size_bucket{le=\"1.0\"} 1"), text);
    }

    /** Names users scrape today (README, load-tests, the dashboard): a rename in {@link Metric} must fail here. */
    @Test
    void theNamesUsersScrapeAreStillDeclared() {
        for (String name : new String[] {"foldin_events_total", "foldin_dlq_total", "foldin_rekeyed_total",
            "foldin_fold_in_seconds", "foldin_user_factor_age_seconds", "foldin_item_factor_age_seconds",
            "foldin_path_age_seconds", "foldin_sweep_seconds", "foldin_sweep_holdout_rmse", "foldin_sweep_bytes_total",
            "foldin_sweeps_abandoned_total", "foldin_consumer_lag", "foldin_commit_latency_max_seconds",
            "foldin_poll_latency_max_seconds", "foldin_items", "foldin_items_prior", "foldin_http_request_seconds",
            "foldin_http_responses_total", "foldin_events_per_second", "foldin_scan_batch_size",
            "foldin_scan_pass_seconds", "foldin_scan_wait_seconds", "foldin_scan_candidates",
            "foldin_item_updates_superseded_total", "foldin_model_epoch"}) {
            assertEquals(name, Metric.byScrapedName(name).scrapedName());
        }
    }

    /** The quantile estimate against a naive one: sort, take the ceil(q·n)-th value, round it up to its bound. */
    @Test
    void quantilesAreTheUpperBoundOfTheBucketHoldingTheRank() {
        Metrics m = new Metrics();
        Histogram h = m.histogram(Metric.FOLD_IN_SECONDS, "user");
        Random rnd = new Random(42);
        double[] v = new double[5000];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.exp(rnd.nextGaussian() * 2 - 6); // log-normal around 2.5 ms, spanning the buckets
            h.observe(v[i]);
        }
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        double[] bounds = Metric.FOLD_IN_SECONDS.buckets();
        for (double q : new double[] {0.01, 0.5, 0.9, 0.99, 0.999}) {
            double x = sorted[(int) Math.ceil(q * v.length) - 1];
            double want = Double.POSITIVE_INFINITY;
            for (double b : bounds) {
                if (x <= b + 1e-12) {
                    want = b;
                    break;
                }
            }
            assertEquals(want, h.quantile(q), 1e-12, "q=" + q + " value " + x);
        }
        assertEquals(v.length, h.count());
        assertEquals(Arrays.stream(v).sum(), h.sum(), 1e-6);
        assertTrue(Double.isNaN(m.histogram(Metric.FOLD_IN_SECONDS, "item").quantile(0.5)));
    }

    /** The scrape of a timer: per-bucket counts cumulated, _count equal to +Inf, exact sum, recent max. */
    @Test
    void aTimerIsScrapedWithCumulativeBucketsSumAndMax() {
        Metrics m = new Metrics();
        Histogram h = m.histogram(Metric.SWEEP_SECONDS);
        h.observeNanos(300_000); // 0.3 ms: bucket le=0.0005
        h.observe(0.0005); // on a bound: that bucket (le is inclusive)
        h.observe(2.0);
        h.observe(60); // past the last bound: +Inf only
        h.observe(-1); // dropped, as Micrometer did
        String text = m.prometheusText();
        assertTrue(text.contains("foldin_sweep_seconds_bucket{le=\"2.5E-4\"} 0\n"), text);
        assertTrue(text.contains("foldin_sweep_seconds_bucket{le=\"5.0E-4\"} 2\n"), text);
        assertTrue(text.contains("foldin_sweep_seconds_bucket{le=\"2.5\"} 3\n"), text);
        assertTrue(text.contains("foldin_sweep_seconds_bucket{le=\"10.0\"} 3\n"), text);
        assertTrue(text.contains("foldin_sweep_seconds_bucket{le=\"+Inf\"} 4\n"), text);
        assertTrue(text.contains("foldin_sweep_seconds_count 4\n"), text);
        assertTrue(text.contains("foldin_sweep_seconds_sum 62.0008\n"), text);
        assertTrue(text.contains("# TYPE foldin_sweep_seconds_max gauge\nfoldin_sweep_seconds_max 60.0\n"), text);
        assertEquals(4, h.count());
        Histogram s = m.histogram(Metric.SCAN_CANDIDATES);
        s.observe(150);
        s.observe(99_999.5);
        assertTrue(m.prometheusText().contains("foldin_scan_candidates_max 99999.5\n"));
    }

    @Test
    void countersAreCachedAndReadableByName() {
        Metrics m = new Metrics();
        assertSame(m.counter(Metric.DLQ, "x"), m.counter(Metric.DLQ, "x"));
        m.counter(Metric.DLQ, "x").add(2);
        m.counter(Metric.DLQ, "y").increment();
        assertEquals(3, m.total(Metric.DLQ));
        assertEquals(3, m.total("foldin_dlq_total"));
        assertSame(m.counter(Metric.DLQ, "x"), m.counter("foldin_dlq_total", "reason=\"x\""));
        assertSame(m.histogram(Metric.PATH_AGE, "a"), m.histogram("foldin_path_age_seconds", "stage=\"a\""));
    }

    @Test
    void undeclaredNamesAndWrongTagsAreRefused() {
        Metrics m = new Metrics();
        assertThrows(IllegalArgumentException.class, () -> m.counter("foldin_nothing_total", ""));
        assertThrows(IllegalArgumentException.class, () -> m.counter(Metric.DLQ));
        assertThrows(IllegalArgumentException.class, () -> m.counter(Metric.EVENTS, "user", "extra"));
        assertThrows(IllegalArgumentException.class, () -> m.counter("foldin_events_total", "sid=\"user\""));
        assertThrows(IllegalArgumentException.class, () -> m.histogram(Metric.DLQ, "x"));
        assertThrows(IllegalArgumentException.class, () -> m.gauge(Metric.EVENTS, () -> 1));
    }

    @Test
    void aGaugeReadsItsLatestSupplier() {
        Metrics m = new Metrics();
        m.gauge(Metric.ITEMS, () -> 1);
        m.gauge(Metric.ITEMS, () -> 7);
        System.gc(); // the registry holds the gauge's state strongly: it must not turn NaN
        String text = m.prometheusText();
        assertTrue(text.contains("\nfoldin_items 7.0\n"), text);
    }
}
