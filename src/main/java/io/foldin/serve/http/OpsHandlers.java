package io.foldin.serve.http;

import io.foldin.metrics.Metrics;
import io.foldin.stream.live.FreshnessWindow;
import io.foldin.stream.live.LiveModel;
import io.foldin.stream.live.ModelEpoch;
import io.foldin.stream.topology.FoldinStreams;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/** Health, metrics, the live summary and the page that shows it. */
final class OpsHandlers {
    private final FoldinStreams streams;
    private final LiveModel live;
    private final Metrics metrics;
    private final RateMeter events;
    private final LongAdder eventsTotal;
    private final Buffer page;
    private final SampleStatus sample;
    private final LiveSeries series;

    /** @param eventsTotal valid rating events folded in here; {@code events} its rate */
    OpsHandlers(FoldinStreams streams, LongAdder eventsTotal, RateMeter events, LiveSeries series, SampleStatus sample) {
        this.sample = sample;
        this.series = series;
        this.streams = streams;
        this.live = streams.live();
        this.metrics = live.metrics();
        this.eventsTotal = eventsTotal;
        this.events = events;
        this.page = Buffer.buffer(resource("/web/index.html"));
    }

    /** Readiness with its reason: a stable snake_case code and a sentence. */
    record Readiness(boolean ready, String reason, String message) {
    }

    /**
     * Ready: the stream job runs (stores restored), the bundled sample, when one is loaded, is in and
     * swept, and the first model is installed (epoch >= 1). An instance with fewer ratings stored than
     * {@code sweep.first.after.ratings} has no model to wait for: it is ready and serves fold-in only
     * ({@code reason: no_model_yet}); from the threshold until the first sweep is installed it is not.
     * So is one that cannot sweep (user partitions spread over instances) or with the early first
     * sweep off: waiting for a model there could take the whole schedule, or forever.
     */
    Readiness readiness() {
        if (!streams.isRunning()) {
            return new Readiness(false, "streams_not_running", "Kafka Streams is " + streams.streams().state()
                    + " (restoring state or rebalancing)");
        }
        switch (sample.state()) {
            case LOADING:
                return new Readiness(false, "sample_loading", "the bundled sample is being loaded and swept");
            case FAILED:
                return new Readiness(false, "sample_failed", "loading the bundled sample failed; the log says why");
            default:
                break;
        }
        int epoch = live.epoch().epoch();
        if (epoch >= 1) {
            return new Readiness(true, "model", "model epoch " + epoch + " installed");
        }
        var sweeps = streams.sweeps();
        long first = sweeps.firstSweepAfterRatings();
        long stored = sweeps.storedRatings();
        if (first == 0) {
            return new Readiness(true, "no_model_yet", "no sweep has run; the first runs on the schedule "
                    + "(sweep.every.ms, sweep.every.events): fold-in only until then");
        }
        if (stored < first) {
            return new Readiness(true, "no_model_yet", stored + " ratings stored, fewer than "
                    + "sweep.first.after.ratings = " + first + ": fold-in only until the first sweep");
        }
        return new Readiness(false, "first_sweep_pending", stored + " ratings stored (sweep.first.after.ratings = "
                + first + "): the first sweep is due or running");
    }

    boolean ready() {
        return readiness().ready();
    }

    /** GET /health/live: the process answers. */
    void live(RoutingContext ctx) {
        Views.send(ctx, 200, new JsonObject().put("status", "up"));
    }

    /**
     * GET /report: the analyses of the live model as one HTML page ({@link LiveReport}), rendered on a worker
     * thread: a PCA and a few passes over the item table take milliseconds to a second on a large catalogue.
     * {@code ?minRatings=N} sets the rating threshold of the norms, the map and the rankings (a 400 when bad).
     */
    void report(RoutingContext ctx) {
        int minRatings = Params.integer(ctx, "minRatings", io.foldin.report.ReportData.Settings.DEFAULT_MIN_RATINGS,
                0, Integer.MAX_VALUE);
        ctx.vertx().executeBlocking(() -> io.foldin.report.ReportPage.render(LiveReport.of(live, streams.config().params(),
                        minRatings)), false)
                .onSuccess(html -> ctx.response().putHeader("content-type", "text/html; charset=utf-8").end(html))
                .onFailure(ctx::fail);
    }

    /** GET /health/ready: 200 when ready, 503 (with the reason) otherwise; see {@link #readiness}. */
    void ready(RoutingContext ctx) {
        Readiness r = readiness();
        JsonObject body = new JsonObject().put("status", r.ready() ? "ready" : "not_ready").put("reason", r.reason())
                .put("message", r.message()).put("streams", streams.streams().state().name())
                .put("sample", sample.state().name().toLowerCase(java.util.Locale.ROOT))
                .put("epoch", live.epoch().epoch()).put("items", live.items().size())
                .put("priorItems", live.items().priorRows());
        if (live.epoch().epoch() == 0) {
            body.put("storedRatings", streams.sweeps().storedRatings())
                    .put("firstSweepAfterRatings", streams.sweeps().firstSweepAfterRatings());
        }
        if (!r.ready()) {
            ctx.response().putHeader("retry-after", "1");
        }
        Views.send(ctx, r.ready() ? 200 : 503, body);
    }

    /** GET /metrics: Prometheus text. */
    void metrics(RoutingContext ctx) {
        ctx.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                .end(metrics.prometheusText());
    }

    /**
     * GET /stats: the live summary the page polls. {@code eventsSinceStart} (and its old name
     * {@code eventsTotal}) counts this process's fold-ins and starts at 0 on every start; {@code ratings}
     * survives restarts: it is read from the item table, which is rebuilt from the compacted
     * {@code item-factors} topic. The page's charts: {@code series}, the once-a-second samples after
     * {@code ?since=SEQ} (all kept ones without it), and {@code sweeps}, the last sweeps installed here.
     */
    void stats(RoutingContext ctx) {
        long since = Params.integer(ctx, "since", -1, -1, Integer.MAX_VALUE);
        ModelEpoch e = live.epoch();
        ModelEpoch.SweepInfo s = e.sweep();
        JsonObject sweep = s.finishedMs() == 0 ? null : sweep(e);
        FreshnessWindow.Quantiles f = live.freshness().last();
        JsonArray sweeps = new JsonArray();
        List<ModelEpoch> history = live.sweepHistory();
        for (ModelEpoch h : history.subList(Math.max(0, history.size() - SWEEPS_SHOWN), history.size())) {
            sweeps.add(sweep(h).put("epoch", h.epoch()));
        }
        Views.send(ctx, 200, new JsonObject().put("ready", ready()).put("items", live.items().size())
                .put("priorItems", live.items().priorRows()).put("catalog", live.catalog().size())
                .put("ratings", ratingsInItemTable()).put("eventsSinceStart", eventsTotal.sum()).put("eventsTotal", eventsTotal.sum())
                .put("eventsPerSecond", Views.round(events.perSecond())).put("epoch", e.epoch())
                .put("mu", Views.round(e.mu())).put("lastSweep", sweep).put("timeMs", System.currentTimeMillis())
                .put("consumerLag", Views.round(streams.lag()))
                .put("freshness", new JsonObject().put("p50", Views.round(f.p50())).put("p99", Views.round(f.p99()))
                        .put("count", f.count()))
                .put("sweeps", sweeps).put("series", series.since(since)));
    }

    /** The last {@code SWEEPS_SHOWN} sweeps installed here go out with every /stats (the page's RMSE chart). */
    static final int SWEEPS_SHOWN = 50;

    private static JsonObject sweep(ModelEpoch e) {
        ModelEpoch.SweepInfo s = e.sweep();
        return new JsonObject().put("finishedMs", s.finishedMs()).put("durationMs", s.durationMs())
                .put("ratings", s.ratings()).put("holdoutRmse", Views.round(s.holdoutRmse()));
    }

    /**
     * Ratings stored across the whole service, as the item table counts them: the sum of every item's
     * rating count as of its last solve (so it trails by at most a publish interval). One pass over the
     * counts array, no I/O.
     */
    private long ratingsInItemTable() {
        var tab = live.items().snapshot();
        int[] counts = tab.counts();
        long n = 0;
        for (int r = 0; r < tab.size(); r++) {
            n += counts[r];
        }
        return n;
    }

    /** GET /: the page. */
    void page(RoutingContext ctx) {
        ctx.response().putHeader("content-type", "text/html; charset=utf-8").end(page);
    }

    private static byte[] resource(String name) {
        try (InputStream in = OpsHandlers.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
