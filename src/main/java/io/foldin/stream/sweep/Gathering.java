package io.foldin.stream.sweep;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The leader's collection of one gathered sweep's ratings: per user partition, the records of each instance
 * that sent it, until one instance's {@link SweepWire.DataEnd} says that partition is complete. Two instances
 * can send the same partition when it moved between them during the start; the first complete one is taken,
 * and the partitions are fed to the sweep in partition order, each in its store's key order, so the sweep
 * sees the ratings in the order a single instance holding every partition would ({@link SweepCoordinator}).
 */
final class Gathering {
    private final SweepWire.Start start;
    private final int partitions;
    private final Map<String, List<SweepWire.Ratings>> received = new HashMap<>();
    private final Map<String, Long> counts = new HashMap<>();
    private final String[] complete;
    private int completed;
    private final long startedMs = System.currentTimeMillis();
    private long lastProgressMs = startedMs;
    private long bytes;

    Gathering(SweepWire.Start start, int partitions) {
        this.start = start;
        this.partitions = partitions;
        this.complete = new String[partitions];
    }

    int epoch() {
        return start.epoch();
    }

    int iterations() {
        return start.iterations();
    }

    boolean warm() {
        return start.warm();
    }

    long startedMs() {
        return startedMs;
    }

    /** Rating bytes received (12 per rating, before compression). */
    long bytes() {
        return bytes;
    }

    long lastProgressMs() {
        return lastProgressMs;
    }

    /** Takes one data record; true once every partition is complete. */
    boolean add(SweepWire.Message m) {
        lastProgressMs = System.currentTimeMillis();
        if (m instanceof SweepWire.Ratings r) {
            String key = r.partition() + "/" + r.source();
            received.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
            counts.merge(key, (long) r.n(), Long::sum);
            bytes += r.body().remaining();
        } else if (m instanceof SweepWire.DataEnd e && e.partition() >= 0 && e.partition() < partitions
                && complete[e.partition()] == null) {
            String key = e.partition() + "/" + e.source();
            if (counts.getOrDefault(key, 0L) == e.count()) {
                complete[e.partition()] = key;
                completed++;
            }
        }
        return completed == partitions;
    }

    /** User partitions not complete yet. */
    TreeSet<Integer> missing() {
        TreeSet<Integer> out = new TreeSet<>();
        for (int p = 0; p < partitions; p++) {
            if (complete[p] == null) {
                out.add(p);
            }
        }
        return out;
    }

    /** Hands every rating to the sweep's collector, partition by partition, and drops the records. */
    void feed(Sweeper.RatingSink sink) {
        for (int p = 0; p < partitions; p++) {
            for (SweepWire.Ratings r : received.getOrDefault(complete[p], List.of())) {
                ByteBuffer b = r.body().duplicate();
                for (int k = 0; k < r.n(); k++) {
                    sink.add(b.getInt(), b.getInt(), b.getFloat(), 0L);
                }
            }
        }
        received.clear();
    }
}
