package io.foldin.stream.replay;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Holds a producer to a target rate. Event k is due at {@code origin + k / rate}: an absolute schedule, so
 * rounding and oversleeping never accumulate into drift. It sleeps only once the caller is at least
 * {@link #MIN_SLEEP_NANOS} ahead, i.e. once per ~100 events at 100k ev/s, because a park per event costs
 * more (~50-100 us of timer slack) than the gap between events.
 *
 * <p>After a stall (a full producer buffer, a GC) it may catch up in a burst, but by at most
 * {@link #MAX_BACKLOG_NANOS} worth of events: a longer lag moves the origin forward instead, so one slow
 * second does not turn into a flood at ten times the rate.
 */
final class Pacer {
    static final long MIN_SLEEP_NANOS = 1_000_000;
    static final long MAX_BACKLOG_NANOS = 1_000_000_000;

    /** Sleeps about the given nanoseconds (injected so tests run on a fake clock). */
    interface Sleeper {
        void sleep(long nanos);
    }

    private final double nanosPerEvent;
    private final LongSupplier clock;
    private final Sleeper sleeper;
    private long origin;
    private long count;

    /** @param eventsPerSecond target rate; 0 means no pacing */
    Pacer(double eventsPerSecond) {
        this(eventsPerSecond, System::nanoTime, LockSupport::parkNanos);
    }

    Pacer(double eventsPerSecond, LongSupplier clock, Sleeper sleeper) {
        if (!(eventsPerSecond >= 0) || Double.isInfinite(eventsPerSecond)) {
            throw new IllegalArgumentException("rate must be >= 0 events/s, got " + eventsPerSecond);
        }
        this.nanosPerEvent = eventsPerSecond == 0 ? 0 : 1e9 / eventsPerSecond;
        this.clock = clock;
        this.sleeper = sleeper;
        this.origin = clock.getAsLong();
    }

    /** Returns when the next event may go; call once per event, just before sending it. */
    void acquire() {
        if (nanosPerEvent == 0) {
            return;
        }
        long due = origin + (long) (count * nanosPerEvent);
        count++;
        long ahead = due - clock.getAsLong();
        if (ahead >= MIN_SLEEP_NANOS) {
            // parkNanos may return early (spuriously, or on interrupt): sleep again until within 1 ms
            do {
                sleeper.sleep(ahead);
                ahead = due - clock.getAsLong();
            } while (ahead >= MIN_SLEEP_NANOS && !Thread.currentThread().isInterrupted());
        } else if (-ahead > MAX_BACKLOG_NANOS) {
            // restart the schedule from "now minus the allowed backlog"
            origin += -ahead - MAX_BACKLOG_NANOS;
        }
    }
}
