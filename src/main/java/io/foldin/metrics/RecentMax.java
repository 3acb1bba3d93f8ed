package io.foldin.metrics;

import java.util.concurrent.atomic.LongAccumulator;

/**
 * The largest key accumulated over the last one to two windows (a window is a minute): recent, as the
 * dashboard's "longest sweep (recent)" reads {@code _max}, like Micrometer's decaying max it replaces. Keys
 * are ≥ 0; 0 means none.
 *
 * <p>Recording is one volatile read and a {@link LongAccumulator} update; the windows turn only when read
 * (at scrape, every 5 s in deploy/), at most once a window, so a read returns max(current, previous): what
 * was recorded since the turn before the last, one to two windows when scraped regularly, longer if not.
 * A record racing a turn lands in the window just retired, which the next read still covers.
 */
final class RecentMax {
    static final long WINDOW_NANOS = 60_000_000_000L;

    private volatile LongAccumulator current = new LongAccumulator(Math::max, 0);
    private LongAccumulator previous = new LongAccumulator(Math::max, 0);
    private long turnedAt = System.nanoTime();

    void accumulate(long key) {
        current.accumulate(key);
    }

    long get() {
        return get(System.nanoTime());
    }

    synchronized long get(long nowNanos) {
        if (nowNanos - turnedAt >= WINDOW_NANOS) {
            previous = current;
            current = new LongAccumulator(Math::max, 0);
            turnedAt = nowNanos;
        }
        return Math.max(previous.get(), current.get());
    }
}
