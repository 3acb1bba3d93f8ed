package io.foldin.stream.sweep;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When a scheduled sweep is due (docs/design.md §2.8): {@code sweep.every.events} events or
 * {@code sweep.every.ms} since the last sweep, and the early first sweep once {@code sweep.first.after.ratings}
 * ratings are stored. Counts are this instance's; a gathered sweep's leader scales the thresholds by its
 * {@code share} of the user partitions, since it sees only its own (docs/design.md §2.9).
 */
final class SweepSchedule {
    /** How long after a first sweep was skipped (partitions not all here) the early rule tries again. */
    static final long FIRST_SWEEP_RETRY_MS = 60_000;

    private final long everyEvents;
    private final long everyMs;
    private final long firstAfterRatings;
    /** Per user task: ratings its store held when it opened (counted up to the threshold) plus net adds since. */
    private final Map<String, AtomicLong> stored = new ConcurrentHashMap<>();
    private final AtomicLong eventsSince = new AtomicLong();
    private volatile long lastSweepMs = System.currentTimeMillis();
    private volatile long firstRetryMs;

    SweepSchedule(long everyEvents, long everyMs, long firstAfterRatings) {
        this.everyEvents = everyEvents;
        this.everyMs = everyMs;
        this.firstAfterRatings = firstAfterRatings;
    }

    long firstAfterRatings() {
        return firstAfterRatings;
    }

    void onEvent() {
        eventsSince.incrementAndGet();
    }

    AtomicLong openStoredCount(String task, long held) {
        AtomicLong c = new AtomicLong(held);
        stored.put(task, c);
        return c;
    }

    void closeStoredCount(String task) {
        stored.remove(task);
    }

    long storedRatings() {
        long n = 0;
        for (AtomicLong c : stored.values()) {
            n += c.get();
        }
        return n;
    }

    /** The early first sweep: due in epoch 0 once this instance's share of the threshold is stored. */
    boolean firstSweepDue(long nowMs, int epoch, double share) {
        return firstAfterRatings > 0 && epoch == 0 && nowMs >= firstRetryMs
                && storedRatings() >= (long) (firstAfterRatings * share);
    }

    /** Due by the schedule or the early first sweep (a request is the caller's to check). */
    boolean due(long nowMs, int epoch, double share) {
        if (firstSweepDue(nowMs, epoch, share)) {
            return true;
        }
        long events = eventsSince.get();
        if (events == 0) {
            return false;
        }
        return (everyEvents > 0 && events >= (long) (everyEvents * share))
                || (everyMs > 0 && nowMs - lastSweepMs >= everyMs);
    }

    /** A sweep starts: the events it counts are behind it. */
    void started(long nowMs) {
        eventsSince.set(0);
        lastSweepMs = nowMs;
    }

    /** A sweep's model is ready: the interval starts over from here. */
    void finished(long nowMs) {
        lastSweepMs = nowMs;
    }

    /** A due sweep could not run here: the schedule starts over, and the early rule waits a while. */
    void skipped(long nowMs) {
        started(nowMs);
        firstRetryMs = nowMs + FIRST_SWEEP_RETRY_MS;
    }
}
