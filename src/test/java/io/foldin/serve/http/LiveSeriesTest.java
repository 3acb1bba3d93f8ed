package io.foldin.serve.http;

import io.foldin.stream.live.FreshnessWindow;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class LiveSeriesTest {
    @Test
    void keepsTheLastSamplesAndSendsThoseAfterSince() {
        AtomicLong events = new AtomicLong();
        RateMeter rate = new RateMeter(events::get, 0);
        FreshnessWindow freshness = new FreshnessWindow(5);
        AtomicLong lag = new AtomicLong();
        LiveSeries series = new LiveSeries(rate, freshness, () -> lag.get());
        int ticks = LiveSeries.CAPACITY + 50;
        for (int t = 1; t <= ticks; t++) {
            events.addAndGet(10L * t); // 10·t events in second t
            lag.set(t);
            if (t % 2 == 0) {
                freshness.observe(0.1);
            }
            rate.tick(t * 1_000_000_000L);
            freshness.tick();
            series.tick(1000L * t);
        }
        JsonArray all = series.since(-1);
        assertEquals(LiveSeries.CAPACITY, all.size(), "the oldest 50 dropped out");
        for (int i = 0; i < all.size(); i++) {
            JsonObject s = all.getJsonObject(i);
            long seq = 50 + i;
            int t = (int) seq + 1;
            assertEquals(seq, s.getLong("seq"));
            assertEquals(1000L * t, s.getLong("timeMs"));
            assertEquals(10.0 * t, s.getDouble("eventsPerSecond"), 1e-9);
            assertEquals((double) t, s.getDouble("consumerLag"));
            // an observation every other tick, so the 5-tick window always holds one; p50 is 0.1's bucket bound
            assertEquals(FreshnessWindow.bound(40), s.getDouble("freshnessP50"), 1e-6);
        }
        JsonArray newer = series.since(ticks - 3);
        assertEquals(2, newer.size());
        assertEquals(ticks - 2, newer.getJsonObject(0).getLong("seq"));
        assertEquals(0, series.since(ticks - 1).size(), "nothing after the latest");
        assertEquals(LiveSeries.CAPACITY, series.since(3).size(), "a since older than the kept ones gets all kept");
    }

    @Test
    void aWindowWithoutFactorsGivesNullFreshness() {
        LiveSeries series = new LiveSeries(new RateMeter(() -> 0, 0), new FreshnessWindow(5), () -> Double.NaN);
        series.tick(1);
        JsonObject s = series.since(-1).getJsonObject(0);
        assertNull(s.getValue("freshnessP50"));
        assertNull(s.getValue("consumerLag"));
        assertEquals(0.0, s.getDouble("eventsPerSecond"));
    }
}
