package io.foldin.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every foldin metric, declared once: its name as scraped (users' dashboards and alerts depend on it, so it
 * never changes), its type, help text, tag keys and, for histograms, bucket bounds. {@link Metrics} registers
 * meters from these and refuses any name not declared here.
 */
public enum Metric {
    EVENTS("foldin_events_total", Type.COUNTER,
            "Events folded in, by side (user: valid rating events; item: item updates)", "side"),
    DLQ("foldin_dlq_total", Type.COUNTER, "Rating events sent to the dead-letter topic, by reason", "reason"),
    REKEYED("foldin_rekeyed_total", Type.COUNTER,
            "Valid rating events read on a partition that does not own their user, sent to it through "
                    + "ratings-rekeyed, by reason", "reason"),
    DELETES_OF_UNKNOWN("foldin_deletes_of_unknown_ratings_total", Type.COUNTER,
            "Deletes of a rating that was not stored (idempotent no-ops)"),
    SOLVE_FAILURES("foldin_solve_failures_total", Type.COUNTER,
            "Systems that were not positive definite (raise tau or gamma)", "side"),
    ITEM_UPDATES_SUPERSEDED("foldin_item_updates_superseded_total", Type.COUNTER,
            "Item updates from before a sweep, whose ratings the sweep already counted"),
    ITEM_EVENTS_REJECTED("foldin_item_events_rejected_total", Type.COUNTER,
            "Item metadata records that did not match schemas/item-event.schema.json"),
    EXPERIMENT_OUTCOMES("foldin_experiment_outcomes_total", Type.COUNTER, "Ratings of shown items counted as outcomes"),
    EXPERIMENT_EXPOSURES_MISPLACED("foldin_experiment_exposures_misplaced_total", Type.COUNTER,
            "Exposure records not on their user's partition, or malformed, dropped"),
    EXPERIMENT_EXPOSURES("foldin_experiment_exposures_total", Type.COUNTER, "Exposure records written"),
    EXPERIMENT_EXPOSURE_FAILURES("foldin_experiment_exposure_failures_total", Type.COUNTER,
            "Exposure records not written"),
    SWEEP_BYTES("foldin_sweep_bytes_total", Type.COUNTER,
            "Bytes this instance sent for gathered sweeps (docs/design.md §2.9), by topic", "topic"),
    SWEEPS_ABANDONED("foldin_sweeps_abandoned_total", Type.COUNTER,
            "Gathered sweeps this instance took part in and gave up (leader or a partition's holder gone)"),
    HTTP_RESPONSES("foldin_http_responses_total", Type.COUNTER, "HTTP responses by route and status", "route", "code"),

    EVENTS_PER_SECOND("foldin_events_per_second", Type.GAUGE, "Rating events folded in here over the last second"),
    MODEL_EPOCH("foldin_model_epoch", Type.GAUGE, "Sweeps done since the first start"),
    SWEEP_HOLDOUT_RMSE("foldin_sweep_holdout_rmse", Type.GAUGE, "RMSE on the held-out ratings after the last sweep"),
    ITEMS("foldin_items", Type.GAUGE, "Items in this instance's item factor table"),
    ITEMS_PRIOR("foldin_items_prior", Type.GAUGE,
            "Catalogue items in the item table at their genre prior mean (no factors yet)"),
    RATED_INDEX_ITEMS("foldin_rated_index_items", Type.GAUGE,
            "Item ids in the in-memory index of local users' rated items"),
    CONSUMER_LAG("foldin_consumer_lag", Type.GAUGE,
            "Records of ratings, ratings-rekeyed and item-updates not yet processed here"),
    COMMIT_LATENCY_MAX("foldin_commit_latency_max_seconds", Type.GAUGE,
            "Longest commit of a stream thread (state flush, producer flush, offsets) within Streams' metrics window"),
    POLL_LATENCY_MAX("foldin_poll_latency_max_seconds", Type.GAUGE,
            "Longest poll of a stream thread within Streams' metrics window"),

    FOLD_IN_SECONDS("foldin_fold_in_seconds", Type.TIMER, "Time to fold one event into an entity's statistics and re-solve it, by side", "side"),
    USER_FACTOR_AGE("foldin_user_factor_age_seconds", Type.TIMER,
            "Time from a rating's produce timestamp to its user factor being re-solved in the store"),
    ITEM_FACTOR_AGE("foldin_item_factor_age_seconds", Type.TIMER,
            "Time from a rating's produce timestamp to its item factor being in this instance's table"),
    PATH_AGE("foldin_path_age_seconds", Type.TIMER,
            "Time from a rating's produce timestamp to each stage on its way: received by the user fold-in, "
                    + "its item update received by the item fold-in, the item factor sent (stamped with the "
                    + "oldest rating it folds in)",
            "stage"),
    SWEEP_SECONDS("foldin_sweep_seconds", Type.TIMER, "Duration of full sweeps"),
    HTTP_REQUEST_SECONDS("foldin_http_request_seconds", Type.TIMER,
            "HTTP request latency by route, handler start to response end", "route"),
    SCAN_PASS_SECONDS("foldin_scan_pass_seconds", Type.TIMER, "Duration of one batched pass over the item columns"),
    SCAN_WAIT_SECONDS("foldin_scan_wait_seconds", Type.TIMER,
            "Time a scan waited for its pass to start (queueing behind the pass in progress)"),
    SCAN_BATCH_SIZE("foldin_scan_batch_size", Type.SUMMARY, "Queries scored together in one pass over the item columns",
            new double[] {1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64}),
    SCAN_CANDIDATES("foldin_scan_candidates", Type.SUMMARY,
            "Rows per scan that beat the selection's threshold when scored (the rest cost only multiply-adds)",
            new double[] {100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000}),
    SCAN_INDEX_ROWS("foldin_scan_index_rows", Type.SUMMARY,
            "Rows an item-index search scored (the exact scan scores every row of the table)",
            new double[] {100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000, 200000, 500000});

    /** How a metric is exported. */
    public enum Type {
        /** Monotonic count, a LongAdder read at scrape; exported with its {@code _total} name. */
        COUNTER,
        /** A value read at scrape. */
        GAUGE,
        /** Durations in seconds, histogram with {@link Buckets#LATENCY} buckets. */
        TIMER,
        /** Other values, histogram with the metric's own buckets. */
        SUMMARY
    }

    /** Bucket bounds shared by several metrics (a holder class: an enum's constructor cannot read its statics). */
    static final class Buckets {
        /** 50 µs to 10 s, three buckets per decade, finer between 50 and 500 ms where freshness targets sit. */
        static final double[] LATENCY = {
            0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25,
            0.3, 0.4, 0.5, 0.75, 1, 2.5, 5, 10};

        private Buckets() {
        }
    }

    private static final Map<String, Metric> BY_NAME = new HashMap<>();

    static {
        for (Metric m : values()) {
            BY_NAME.put(m.scrapedName, m);
        }
    }

    private final String scrapedName;
    private final Type type;
    private final String help;
    private final List<String> tagKeys;
    private final double[] buckets;

    Metric(String scrapedName, Type type, String help, String... tagKeys) {
        this(scrapedName, type, help, type == Type.TIMER ? Buckets.LATENCY : null, tagKeys);
    }

    Metric(String scrapedName, Type type, String help, double[] buckets, String... tagKeys) {
        this.scrapedName = scrapedName;
        this.type = type;
        this.help = help;
        this.buckets = buckets;
        this.tagKeys = List.of(tagKeys);
    }

    /** The family name in the Prometheus text, e.g. {@code foldin_events_total}. */
    public String scrapedName() {
        return scrapedName;
    }

    /**
     * The name given to Micrometer, whose Prometheus naming adds the suffix of the type back: {@code _total} to
     * counters. Histograms do not pass through Micrometer: {@link HistogramCollector} exports them under
     * {@link #scrapedName()}.
     */
    String meterName() {
        return switch (type) {
            case COUNTER -> strip(scrapedName, "_total");
            default -> scrapedName;
        };
    }

    private static String strip(String name, String suffix) {
        if (!name.endsWith(suffix)) {
            throw new IllegalStateException(name + " must end with " + suffix);
        }
        return name.substring(0, name.length() - suffix.length());
    }

    public Type type() {
        return type;
    }

    public String help() {
        return help;
    }

    public List<String> tagKeys() {
        return tagKeys;
    }

    /** Histogram bucket upper bounds (seconds for timers); null for counters and gauges. */
    double[] buckets() {
        return buckets == null ? null : buckets.clone();
    }

    /** The declared metric scraped as {@code name}; an undeclared name is a bug, so it throws. */
    public static Metric byScrapedName(String name) {
        Metric m = BY_NAME.get(name);
        if (m == null) {
            throw new IllegalArgumentException("metric " + name + " is not declared in " + Metric.class.getName());
        }
        return m;
    }
}
