package io.foldin.serve.http;

import io.foldin.metrics.Metrics;
import io.foldin.stream.live.LiveModel;
import io.foldin.stream.live.ModelEpoch;
import io.foldin.stream.topology.FoldinStreams;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.LongAdder;

/** Health, metrics, the live summary and the page that shows it. */
final class OpsHandlers {
    private final FoldinStreams streams;
    private final LiveModel live;
    private final Metrics metrics;
    private final RateMeter events;
    private final LongAdder eventsTotal;
    private final Buffer page;

    /** @param eventsTotal valid rating events folded in here; {@code events} its rate */
    OpsHandlers(FoldinStreams streams, LongAdder eventsTotal, RateMeter events) {
        this.streams = streams;
        this.live = streams.live();
        this.metrics = live.metrics();
        this.eventsTotal = eventsTotal;
        this.events = events;
        this.page = Buffer.buffer(resource("/web/index.html"));
    }

    /** Ready: the stream job runs (stores restored) and a model exists (some item has factors). */
    boolean ready() {
        return streams.isRunning() && live.items().size() > live.items().priorRows();
    }

    /** GET /health/live: the process answers. */
    void live(RoutingContext ctx) {
        Views.send(ctx, 200, new JsonObject().put("status", "up"));
    }

    /** GET /health/ready: 200 when ready, 503 while restoring or before any model exists. */
    void ready(RoutingContext ctx) {
        boolean ok = ready();
        Views.send(ctx, ok ? 200 : 503, new JsonObject().put("status", ok ? "ready" : "not_ready")
                .put("streams", streams.streams().state().name()).put("items", live.items().size())
                .put("priorItems", live.items().priorRows()));
    }

    /** GET /metrics: Prometheus text. */
    void metrics(RoutingContext ctx) {
        ctx.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                .end(metrics.prometheusText());
    }

    /** GET /stats: the live summary the page polls. */
    void stats(RoutingContext ctx) {
        ModelEpoch e = live.epoch();
        ModelEpoch.SweepInfo s = e.sweep();
        JsonObject sweep = s.finishedMs() == 0 ? null : new JsonObject().put("finishedMs", s.finishedMs())
                .put("durationMs", s.durationMs()).put("ratings", s.ratings()).put("holdoutRmse", Views.round(s.holdoutRmse()));
        Views.send(ctx, 200, new JsonObject().put("ready", ready()).put("items", live.items().size())
                .put("priorItems", live.items().priorRows()).put("catalog", live.catalog().size()).put("eventsTotal", eventsTotal.sum())
                .put("eventsPerSecond", Views.round(events.perSecond())).put("epoch", e.epoch())
                .put("mu", Views.round(e.mu())).put("lastSweep", sweep));
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
