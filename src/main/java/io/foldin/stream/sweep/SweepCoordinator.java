package io.foldin.stream.sweep;

import io.foldin.stream.live.LiveModel;
import io.foldin.stream.live.ModelEpoch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.StampedLock;

/**
 * Decides when a full sweep runs and hands its result to every stream task. A sweep is
 * stop-the-world for the user side of this instance: it runs inside one user task's punctuation
 * while holding {@link #world} exclusively, and every user task holds it shared while it touches
 * its statistics ({@link #enter}), so on every stream thread no user event is processed while the
 * ratings are collected and the model re-fitted. Every task installs the result (rebuilds its
 * entities' statistics) before it processes its next event. Events that arrive meanwhile wait in
 * Kafka and are folded into the new model. Item tasks keep running: what they fold in meanwhile
 * is replaced by their install, and item updates still in flight carry the old epoch and are
 * skipped, because the sweep counted their ratings; the item table holds the new epoch's rows
 * before any task can install, so that check never lets an old update through.
 *
 * <p>It needs all user partitions on this instance (any number of stream threads); with the
 * partitions spread over instances it does not sweep and says so (the per-partition partial-Gram
 * protocol over Kafka of docs/design.md §2.9 is not built).
 */
public final class SweepCoordinator {
    private static final Logger LOG = LoggerFactory.getLogger(SweepCoordinator.class);

    /** A user-side task: its ratings and its users' current factors. */
    public interface UserTask {
        void collect(Sweeper.Collector collector);

        boolean userFactor(int userId, float[] out);
    }

    private record Request(int iterations, boolean warm, CompletableFuture<ModelEpoch> done) {
    }

    private final LiveModel live;
    private final Sweeper sweeper;
    private final long everyEvents;
    private final long everyMs;
    private final int iterations;
    private final boolean warm;
    private final double holdout;
    private final int expectedUserTasks;
    private final Map<String, UserTask> userTasks = new ConcurrentHashMap<>();
    private final Set<String> tasks = ConcurrentHashMap.newKeySet();
    private final AtomicLong eventsSince = new AtomicLong();
    private final StampedLock world = new StampedLock();
    private volatile long lastSweepMs = System.currentTimeMillis();
    private final AtomicReference<Request> request = new AtomicReference<>();
    private volatile long lastSkipLogMs;
    private volatile SweepResult pending;
    private final Set<String> waiting = new HashSet<>();
    private CompletableFuture<ModelEpoch> pendingDone;

    /**
     * @param expectedUserTasks user partitions of the topology; a sweep runs only when all of them
     *                          are tasks of this instance
     */
    public SweepCoordinator(LiveModel live, Sweeper sweeper, long everyEvents, long everyMs, int iterations,
                            boolean warm, double holdout, int expectedUserTasks) {
        this.live = live;
        this.sweeper = sweeper;
        this.everyEvents = everyEvents;
        this.everyMs = everyMs;
        this.iterations = iterations;
        this.warm = warm;
        this.holdout = holdout;
        this.expectedUserTasks = expectedUserTasks;
    }

    public void registerUserTask(String task, UserTask t) {
        userTasks.put(task, t);
        tasks.add(task);
    }

    public void registerTask(String task) {
        tasks.add(task);
    }

    public synchronized void unregister(String task) {
        userTasks.remove(task);
        tasks.remove(task);
        installed(task);
    }

    /**
     * Called by a user task before it installs, folds in or solves; blocks while a sweep runs. Not
     * reentrant: a task's punctuation releases it before {@link #runIfDue}.
     */
    public long enter() {
        return world.readLock();
    }

    public void exit(long stamp) {
        world.unlockRead(stamp);
    }

    public void onEvent() {
        eventsSince.incrementAndGet();
    }

    /**
     * Asks for a sweep at the next punctuation; the future completes once every task installed it. A request
     * not yet started is replaced, and completes with the sweep that replaced it.
     */
    public CompletableFuture<ModelEpoch> requestSweep(int iters, boolean warm) {
        Request r = new Request(iters, warm, new CompletableFuture<>());
        Request replaced = request.getAndSet(r);
        if (replaced != null) {
            r.done().whenComplete((e, t) -> {
                if (t != null) {
                    replaced.done().completeExceptionally(t);
                } else {
                    replaced.done().complete(e);
                }
            });
        }
        return r.done();
    }

    /** A sweep with the configured settings; see {@link #requestSweep(int, boolean)}. */
    public CompletableFuture<ModelEpoch> requestSweep() {
        return requestSweep(iterations, warm);
    }

    /**
     * Partitions of the keyed topics; a sweep runs only when this instance has a user task for each, so
     * while one is being installed every partition's tasks are here.
     */
    public int partitions() {
        return expectedUserTasks;
    }

    boolean due(long nowMs) {
        if (request.get() != null) {
            return true;
        }
        long events = eventsSince.get();
        if (events == 0) {
            return false;
        }
        return (everyEvents > 0 && events >= everyEvents) || (everyMs > 0 && nowMs - lastSweepMs >= everyMs);
    }

    /**
     * Runs a sweep if one is due and this instance can; called from a user task's punctuation.
     * Returns the result, which the caller publishes, or null.
     */
    public synchronized SweepResult runIfDue(long nowMs) {
        if (pending != null || !due(nowMs)) {
            return null;
        }
        // Every user and item task must be here: a task that registers after the sweep would never install it.
        if (userTasks.size() != expectedUserTasks || tasks.size() != 2 * expectedUserTasks) {
            if (nowMs - lastSkipLogMs >= 60_000) {
                lastSkipLogMs = nowMs;
                LOG.warn("sweep waits: this instance has {} of {} user and {} of {} item tasks; sweeps need all of "
                        + "them on one instance{}", userTasks.size(), expectedUserTasks,
                        tasks.size() - userTasks.size(), expectedUserTasks,
                        request.get() != null ? " (a requested sweep stays pending)" : "");
            }
            if (request.get() == null) {
                lastSweepMs = nowMs;
                eventsSince.set(0);
            }
            return null;
        }
        long stamp = world.writeLock();
        try {
            return sweep(nowMs);
        } finally {
            world.unlockWrite(stamp);
        }
    }

    private SweepResult sweep(long nowMs) {
        Request r = request.getAndSet(null);
        int n = r == null ? iterations : r.iterations();
        boolean warm = r == null ? this.warm : r.warm();
        Sweeper.Collector c = new Sweeper.Collector(holdout, 1 << 16);
        for (UserTask t : userTasks.values()) {
            t.collect(c);
        }
        eventsSince.set(0);
        Sweeper.WarmStart ws = !warm ? null : new Sweeper.WarmStart() {
            @Override
            public boolean user(int userId, float[] out) {
                for (UserTask t : userTasks.values()) {
                    if (t.userFactor(userId, out)) {
                        return true;
                    }
                }
                return false;
            }

            @Override
            public boolean item(int itemId, float[] out) {
                return live.items().get(itemId, out, 0);
            }
        };
        SweepResult result = sweeper.run(c, ws, live.catalog(), live.epoch(), n);
        lastSweepMs = System.currentTimeMillis();
        var model = result.model();
        float[] row = new float[model.items().stride()];
        for (int i = 0; i < result.items().size(); i++) {
            System.arraycopy(model.items().data(), model.items().offset(i), row, 0, row.length);
            live.items().put(result.items().idOf(i), result.epoch().epoch(), result.itemRatings(i), row);
        }
        live.setEpoch(result.epoch());
        pending = result;
        waiting.clear();
        waiting.addAll(tasks);
        pendingDone = r == null ? new CompletableFuture<>() : r.done();
        return result;
    }

    /** The sweep this task still has to install, or null. */
    public SweepResult pendingFor(String task) {
        if (pending == null) {
            return null;
        }
        synchronized (this) {
            return pending != null && waiting.contains(task) ? pending : null;
        }
    }

    public synchronized void installed(String task) {
        if (pending != null && waiting.remove(task) && waiting.isEmpty()) {
            pendingDone.complete(pending.epoch());
            pending = null;
        }
    }
}
