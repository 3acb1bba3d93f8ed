package io.foldin.stream.sweep;

import io.foldin.stream.live.LiveModel;
import io.foldin.stream.live.ModelEpoch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
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
 * <p>A sweep computed here needs every user and item task on this instance (any number of stream
 * threads): a task that registered after a sweep would never install it. A requested sweep waits for them
 * (at start-up they register one by one). With the partitions spread over instances, the leader (holder of
 * partition 0) gathers the sweep through Kafka instead ({@link SweepExchange}, docs/design.md §2.9); this
 * class is then the exchange's {@link SweepExchange.Host}: it stops the user side, computes on the leader,
 * and stages the outcome for the tasks as it does its own. After a crash,
 * {@link #requestRecoverySweep()} asks for the sweep that makes the statistics agree with the stored
 * ratings again (docs/design.md §3.3).
 */
public final class SweepCoordinator implements SweepExchange.Host {
    private static final Logger LOG = LoggerFactory.getLogger(SweepCoordinator.class);

    /** A user-side task: its ratings and its users' current factors. */
    public interface UserTask {
        /** The ratings partition this task reads. */
        int partition();

        /** Hands every stored rating to {@code sink}, in key order (user, then item). */
        void collect(Sweeper.RatingSink sink);

        boolean userFactor(int userId, float[] out);
    }

    private record Request(int iterations, boolean warm, CompletableFuture<ModelEpoch> done) {
    }

    /** An accepted sweep request: the epoch the sweep serving it will produce, and its completion. */
    public record Requested(int epoch, CompletableFuture<ModelEpoch> done) {
    }

    /** Epochs skipped by the sweep after a crash; see {@link #requestRecoverySweep()}. */
    public static final int RECOVERY_EPOCH_GAP = 100;

    /** How long after a first sweep was skipped (partitions not all here) the early rule tries again. */
    static final long FIRST_SWEEP_RETRY_MS = 60_000;

    private final LiveModel live;
    private final Sweeper sweeper;
    private final long everyEvents;
    private final long everyMs;
    private final int iterations;
    private final boolean warm;
    private final double holdout;
    private final int expectedUserTasks;
    private final long firstAfterRatings;
    /** Per user task: ratings its store held when it opened (counted up to the threshold) plus net adds since. */
    private final Map<String, AtomicLong> stored = new ConcurrentHashMap<>();
    private volatile long firstRetryMs;
    private volatile long lastSkipLogMs;
    /** Guards {@link #request} and {@link #producing} together, so a request learns which epoch serves it. */
    private final Object requestLock = new Object();
    /** The epoch the sweep now being computed will produce; 0 when none is. */
    private int producing;
    /** How far the next sweep's epoch lies beyond the live one: 1, or {@link #RECOVERY_EPOCH_GAP} after a crash. */
    private int epochGap = 1;
    private final Map<String, UserTask> userTasks = new ConcurrentHashMap<>();
    private final Set<String> tasks = ConcurrentHashMap.newKeySet();
    private final AtomicLong eventsSince = new AtomicLong();
    private final StampedLock world = new StampedLock();
    private volatile long lastSweepMs = System.currentTimeMillis();
    private volatile Request request;
    private volatile SweepOutcome pending;
    /** The gathered sweep (docs/design.md §2.9) when the partitions are spread over instances; null: one instance only. */
    private volatile SweepExchange exchange;
    /** The request a gathered sweep now running serves; guarded by {@link #requestLock}. */
    private Request inFlight;
    /** When a request was last forwarded to the leader (ms), 0 when the request here was not forwarded. */
    private volatile long forwardedMs;
    private final long timeoutMs;
    private final Set<String> waiting = new HashSet<>();
    private CompletableFuture<ModelEpoch> pendingDone;

    /**
     * @param expectedUserTasks user partitions of the topology; a sweep runs only when all of them
     *                          are tasks of this instance
     */
    /**
     * @param warm              a scheduled sweep starts from the current factors instead of the seeded start
     * @param firstAfterRatings run the first sweep (epoch 0 to 1) once this many ratings are stored here,
     *                          whatever the schedule; 0: only on the schedule
     */
    public SweepCoordinator(LiveModel live, Sweeper sweeper, long everyEvents, long everyMs, int iterations,
                            boolean warm, double holdout, int expectedUserTasks, long firstAfterRatings) {
        this(live, sweeper, everyEvents, everyMs, iterations, warm, holdout, expectedUserTasks, firstAfterRatings,
                30_000);
    }

    /** @param timeoutMs how long an item task waits for a gathered sweep's result that another instance installed */
    public SweepCoordinator(LiveModel live, Sweeper sweeper, long everyEvents, long everyMs, int iterations,
                            boolean warm, double holdout, int expectedUserTasks, long firstAfterRatings,
                            long timeoutMs) {
        this.timeoutMs = timeoutMs;
        this.firstAfterRatings = firstAfterRatings;
        this.warm = warm;
        this.live = live;
        this.sweeper = sweeper;
        this.everyEvents = everyEvents;
        this.everyMs = everyMs;
        this.iterations = iterations;
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
        stored.remove(task);
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

    /** Asks for a sweep at the next punctuation; the future completes once every task installed it. */
    public CompletableFuture<ModelEpoch> requestSweep(int iters, boolean warm) {
        return request(iters, warm).done();
    }

    /**
     * Asks for a sweep at the next punctuation. A request still waiting is replaced by this one and
     * completes with it. The future completes once every task installed the sweep, or exceptionally
     * when this instance cannot sweep (not all user partitions here) or the sweep failed.
     */
    public Requested request(int iters, boolean warm) {
        Request r = new Request(iters, warm, new CompletableFuture<>());
        int epoch;
        synchronized (requestLock) {
            Request replaced = request;
            request = r;
            if (replaced != null) {
                r.done().whenComplete((e, t) -> {
                    if (t != null) {
                        replaced.done().completeExceptionally(t);
                    } else {
                        replaced.done().complete(e);
                    }
                });
            }
            epoch = producing > 0 ? producing + 1 : live.epoch().epoch() + epochGap;
        }
        return new Requested(epoch, r.done());
    }

    /** ALS iterations of a scheduled sweep ({@code sweep.iterations}). */
    public int iterations() {
        return iterations;
    }

    /** Whether a scheduled sweep starts from the current factors ({@code sweep.warm}). */
    public boolean warmByDefault() {
        return warm;
    }

    /**
     * After a crash: a sweep with the configured settings whose epoch lies {@value #RECOVERY_EPOCH_GAP} beyond the
     * live one. The dead instance may have stamped item updates with an epoch whose {@code model} record never
     * committed (under exactly-once the record rides one thread's transaction, the updates another's; under
     * at-least-once it may not have been sent); the recovery sweep counts their ratings, so its epoch must be
     * above theirs for them to be skipped. A sweep commits its record before the next one can run, so at most a
     * sweep or two can be lost that way; the gap leaves room to spare.
     */
    public CompletableFuture<ModelEpoch> requestRecoverySweep() {
        synchronized (requestLock) {
            epochGap = RECOVERY_EPOCH_GAP;
        }
        return requestSweep(iterations, warm);
    }

    /**
     * Whether a sweep can reach this instance: it holds every task, or sweeps are gathered across instances
     * ({@link #attach}).
     */
    public boolean sweepsPossible() {
        return exchange != null || canSweep();
    }

    /** Whether this instance holds every user and item task, which a sweep here alone needs. */
    public boolean canSweep() {
        return userTasks.size() == expectedUserTasks && tasks.size() == 2 * expectedUserTasks;
    }

    /** {@code sweep.first.after.ratings}: the first sweep runs once this many ratings are stored (0: off). */
    public long firstSweepAfterRatings() {
        return firstAfterRatings;
    }

    /**
     * Whether a user task opening now should count the ratings its store holds: only while no sweep has
     * happened (epoch 0) and the early first sweep is on; otherwise nothing reads the count.
     */
    public boolean countsStoredRatings() {
        return firstAfterRatings > 0 && live.epoch().epoch() == 0;
    }

    /**
     * A user task's count of stored ratings, starting at what its store held when it opened
     * ({@code held}); the task adds 1 per new pair and subtracts 1 per delete. Dropped when the task
     * closes, so a task that moves or reopens is never counted twice.
     */
    public AtomicLong openStoredCount(String task, long held) {
        AtomicLong c = new AtomicLong(held);
        stored.put(task, c);
        return c;
    }

    /** Ratings stored in this instance's user tasks, as far as counted (see {@link #openStoredCount}). */
    public long storedRatings() {
        long n = 0;
        for (AtomicLong c : stored.values()) {
            n += c.get();
        }
        return n;
    }

    /**
     * The early first sweep: due while no sweep has happened (epoch 0) once {@code firstAfterRatings}
     * ratings are stored, so a fresh instance gets a latent model without waiting for the schedule.
     */
    boolean firstSweepDue(long nowMs) {
        return firstAfterRatings > 0 && live.epoch().epoch() == 0 && nowMs >= firstRetryMs
                && storedRatings() >= (canSweep() || userTasks.isEmpty() ? firstAfterRatings
                : firstAfterRatings * userTasks.size() / expectedUserTasks);
    }

    /**
     * Partitions of the keyed topics; a sweep runs only when this instance has a user task for each, so
     * while one is being installed every partition's tasks are here.
     */
    public int partitions() {
        return expectedUserTasks;
    }

    boolean due(long nowMs) {
        if (request != null || firstSweepDue(nowMs)) {
            return true;
        }
        long events = eventsSince.get();
        if (events == 0) {
            return false;
        }
        // A gathered sweep's leader sees only its own partitions' events: it scales the threshold to its share.
        long need = canSweep() || userTasks.isEmpty() ? everyEvents : everyEvents * userTasks.size() / expectedUserTasks;
        return (everyEvents > 0 && events >= need) || (everyMs > 0 && nowMs - lastSweepMs >= everyMs);
    }

    /** Spreads sweeps over instances through Kafka from now on (docs/design.md §2.9). */
    public void attach(SweepExchange exchange) {
        this.exchange = exchange;
    }

    /**
     * Runs a sweep if one is due and this instance can; called from a user task's punctuation.
     * Returns the result, which the caller publishes, or null. With the partitions spread over instances
     * and an exchange attached, the leader starts a gathered sweep instead, which the exchange runs and
     * installs; null is returned.
     */
    public synchronized SweepResult runIfDue(long nowMs) {
        if (pending != null || !due(nowMs)) {
            return null;
        }
        // Every user and item task must be here: a task that registers after the sweep would never install it.
        // A request waits for them (at start-up they register one by one); the schedule starts over.
        if (userTasks.size() != expectedUserTasks || tasks.size() != 2 * expectedUserTasks) {
            SweepExchange x = exchange;
            if (x != null && !userTasks.isEmpty()) {
                gatherIfLeader(x, nowMs);
                return null;
            }
            boolean requested;
            synchronized (requestLock) {
                requested = request != null;
            }
            if (nowMs - lastSkipLogMs >= 60_000) {
                lastSkipLogMs = nowMs;
                LOG.warn("sweep waits: this instance has {} of {} user and {} of {} item tasks; sweeps need all of "
                        + "them on one instance{}", userTasks.size(), expectedUserTasks,
                        tasks.size() - userTasks.size(), expectedUserTasks,
                        requested ? " (a requested sweep stays pending)" : "");
            }
            if (!requested) {
                lastSweepMs = nowMs;
                eventsSince.set(0);
                firstRetryMs = nowMs + FIRST_SWEEP_RETRY_MS;
            }
            return null;
        }
        if (exchange != null && exchange.busy()) {
            return null;
        }
        Request r;
        synchronized (requestLock) {
            r = request;
            request = null;
            producing = Math.max(live.epoch().epoch() + epochGap, exchange == null ? 0 : exchange.reserved() + 1);
            epochGap = 1;
        }
        long stamp = world.writeLock();
        try {
            return sweep(r);
        } catch (RuntimeException | Error e) {
            if (r != null) {
                r.done().completeExceptionally(e);
            }
            throw e;
        } finally {
            synchronized (requestLock) {
                producing = 0;
            }
            world.unlockWrite(stamp);
        }
    }

    /** How often a request is sent to the leader again while no sweep serves it. */
    static final long FORWARD_MS = 5_000;

    /** The leader starts a gathered sweep; another instance forwards its request to the leader. */
    private void gatherIfLeader(SweepExchange x, long nowMs) {
        if (x.busy()) {
            return;
        }
        if (!isLeader()) {
            Request r = request;
            if (r != null && nowMs - forwardedMs >= FORWARD_MS) {
                forwardedMs = nowMs;
                boolean recovery;
                synchronized (requestLock) {
                    recovery = epochGap > 1;
                }
                x.forward(r.iterations(), r.warm(), recovery);
            }
            return;
        }
        Request r;
        int epoch;
        synchronized (requestLock) {
            r = request;
            request = null;
            inFlight = r;
            epoch = Math.max(live.epoch().epoch() + epochGap, x.reserved() + 1);
            producing = epoch;
            epochGap = 1;
        }
        eventsSince.set(0);
        lastSweepMs = nowMs;
        LOG.info("sweep epoch {}: gathering the ratings of {} partitions from every instance", epoch, expectedUserTasks);
        x.startSweep(epoch, r == null ? iterations : r.iterations(), r == null ? warm : r.warm());
    }

    private SweepResult sweep(Request r) {
        int n = r == null ? iterations : r.iterations();
        boolean warm = r == null ? this.warm : r.warm();
        Sweeper.Collector c = newCollector();
        // In partition order, as a gathered sweep's leader feeds them (Gathering), so both sweep the same model.
        List<UserTask> ordered = new ArrayList<>(userTasks.values());
        ordered.sort(Comparator.comparingInt(UserTask::partition));
        for (UserTask t : ordered) {
            t.collect(c);
        }
        eventsSince.set(0);
        int epoch;
        synchronized (requestLock) {
            epoch = producing;
            inFlight = r;
        }
        SweepResult result = compute(c, epoch, n, warm);
        stage(result, true);
        return result;
    }

    @Override
    public Sweeper.Collector newCollector() {
        return new Sweeper.Collector(holdout, 1 << 16);
    }

    @Override
    public SweepResult compute(Sweeper.Collector c, int epoch, int n, boolean warm) {
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
        SweepResult result = sweeper.run(c, ws, live.catalog(), live.epoch(), epoch, n);
        lastSweepMs = System.currentTimeMillis();
        return result;
    }

    /**
     * Publishes a finished sweep to this instance: its item rows into the table with the new epoch (before any
     * task can install, see ItemFoldIn), the new live epoch, and the install every task still owes.
     */
    @Override
    public synchronized void stage(SweepOutcome outcome, boolean computedHere) {
        int epoch = outcome.epoch().epoch();
        float[] row = new float[live.factors() + 1];
        outcome.forEachItem(item -> {
            outcome.itemFactor(item, row);
            live.items().put(item, epoch, outcome.itemRatings(item), row);
        });
        live.setEpoch(outcome.epoch());
        lastSweepMs = System.currentTimeMillis();
        Request served;
        synchronized (requestLock) {
            served = inFlight;
            inFlight = null;
            producing = 0;
            if (served == null && !computedHere && forwardedMs > 0) {
                // a request forwarded from here to the leader: served by the next sweep installed here
                served = request;
                request = null;
                forwardedMs = 0;
            }
        }
        pendingDone = served == null ? new CompletableFuture<>() : served.done();
        pending = outcome;
        waiting.clear();
        waiting.addAll(tasks);
        if (waiting.isEmpty()) {
            pendingDone.complete(outcome.epoch());
            pending = null;
        }
        synchronized (epochChanged) {
            epochChanged.notifyAll();
        }
    }

    private final Object epochChanged = new Object();

    /**
     * Waits until this instance's live epoch reaches {@code epoch}, at most the sweep timeout: an item update
     * stamped with a gathered sweep's epoch can arrive from an instance that installed it before this one did.
     */
    public void awaitEpoch(int epoch) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        synchronized (epochChanged) {
            while (live.epoch().epoch() < epoch) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0 || exchange == null) {
                    LOG.warn("item update of epoch {} while this instance is at {}: folded in without waiting longer",
                            epoch, live.epoch().epoch());
                    return;
                }
                try {
                    epochChanged.wait(Math.min(left, 100));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public long lockWorld() {
        return world.writeLock();
    }

    @Override
    public void unlockWorld(long stamp) {
        world.unlockWrite(stamp);
    }

    @Override
    public java.util.SortedMap<Integer, UserTask> userTasks() {
        java.util.TreeMap<Integer, UserTask> out = new java.util.TreeMap<>();
        for (UserTask t : userTasks.values()) {
            out.put(t.partition(), t);
        }
        return out;
    }

    @Override
    public int liveEpoch() {
        return live.epoch().epoch();
    }

    /** Whether this instance leads gathered sweeps: it holds ratings partition 0. */
    @Override
    public boolean isLeader() {
        for (UserTask t : userTasks.values()) {
            if (t.partition() == 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void abandoned(int epoch) {
        synchronized (requestLock) {
            producing = 0;
            Request r = inFlight;
            inFlight = null;
            if (r != null && request == null) {
                request = r;
            } else if (r != null) {
                request.done().whenComplete((e, t) -> {
                    if (t != null) {
                        r.done().completeExceptionally(t);
                    } else {
                        r.done().complete(e);
                    }
                });
            }
        }
    }

    @Override
    public void requested(SweepWire.Request r) {
        LOG.info("sweep requested by instance {}{}", r.from(), r.recovery() ? " (recovery)" : "");
        if (r.recovery()) {
            synchronized (requestLock) {
                epochGap = RECOVERY_EPOCH_GAP;
            }
        }
        request(r.iterations(), r.warm());
    }

    /** The sweep this task still has to install, or null. */
    public SweepOutcome pendingFor(String task) {
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
