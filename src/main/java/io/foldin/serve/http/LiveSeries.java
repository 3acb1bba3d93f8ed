package io.foldin.serve.http;

import io.foldin.stream.live.FreshnessWindow;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.function.DoubleSupplier;

/**
 * The last {@link #CAPACITY} once-a-second samples of what the live page charts: events/s, freshness
 * p50 and p99 (over the last 5 s), consumer lag. Kept here so a page opened now draws the last minutes
 * at once, and a page polling {@code GET /stats?since=SEQ} receives only the samples it lacks. Each
 * sample has a sequence number, counted from 0 at start; {@link #tick} runs on one timer.
 */
final class LiveSeries {
    static final int CAPACITY = 300;

    /** One sample; NaN where there was nothing to measure (no factor arrived, no lag metric yet). */
    record Sample(long seq, long timeMs, double eventsPerSecond, double freshnessP50, double freshnessP99,
                  double consumerLag) {
        JsonObject json() {
            return new JsonObject().put("seq", seq).put("timeMs", timeMs)
                    .put("eventsPerSecond", Views.round(eventsPerSecond)).put("freshnessP50", Views.round(freshnessP50))
                    .put("freshnessP99", Views.round(freshnessP99)).put("consumerLag", Views.round(consumerLag));
        }
    }

    private final Sample[] ring = new Sample[CAPACITY];
    private final RateMeter events;
    private final FreshnessWindow freshness;
    private final DoubleSupplier lag;
    private long next;

    LiveSeries(RateMeter events, FreshnessWindow freshness, DoubleSupplier lag) {
        this.events = events;
        this.freshness = freshness;
        this.lag = lag;
    }

    /** Takes the next sample; call it after the rate meter's and the freshness window's tick. */
    void tick(long nowMs) {
        FreshnessWindow.Quantiles f = freshness.last();
        Sample s = new Sample(next, nowMs, events.perSecond(), f.p50(), f.p99(), lag.getAsDouble());
        synchronized (this) {
            ring[(int) (next % CAPACITY)] = s;
            next++;
        }
    }

    /** The kept samples with a sequence number above {@code since} (-1: all kept), oldest first. */
    synchronized JsonArray since(long since) {
        JsonArray out = new JsonArray();
        for (long q = Math.max(since + 1, next - CAPACITY); q < next; q++) {
            out.add(ring[(int) (q % CAPACITY)].json());
        }
        return out;
    }
}
