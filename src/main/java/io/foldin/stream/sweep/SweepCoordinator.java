package io.foldin.stream.sweep;

import io.foldin.stream.live.LiveModel;
import io.foldin.stream.live.ModelEpoch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.StampedLock;
import java.util.function.BooleanSupplier;

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

    /** An accepted sweep request: the epoch the sweep serving it will produce, and its completion. */
    public record Requested(int epoch, CompletableFuture<ModelEpoch> done) {
    }

    /** Epochs skipped by the sweep after a crash; see {@link #requestRecoverySweep()}. */
    public static final int RECOVERY_EPOCH_GAP = 100;

    /** How long after a first sweep was skipped (partitions not all here) the early rule tries again. */
    static final long FIRST_SWEEP_RETRY_MS = SweepSchedule.FIRST_SWEEP_RETRY_MS;

    private final LiveModel live;
    private final Sweeper sweeper;
    private final int iterations;
    private final boolean warm;
    private final double holdout;
    private final int expectedUserTasks;
    private final long timeoutMs;
    private final SweepSchedule schedule;
    private final SweepRequests requests = new SweepRequests();
    private final Installs installs = new Installs();
    private final Map<String, UserTask> userTasks = new ConcurrentHashMap<>();
    private final Set<String> tasks = ConcurrentHashMap.newKeySet();
    private final StampedLock world = new StampedLock();
    private volatile long lastSkipLogMs;
    /** The gathered sweep (docs/design.md §2.9) when the partitions are spread over instances; null: one instance only. */
    private volatile SweepExchange exchange;
    private volatile BooleanSupplier settled = () -> true;
    /** The implicit model's sweep, run in the same window after the explicit one; null when implicit.enabled is off. */
    private volatile ImplicitSweep implicit;

    /**
     * @param warm              a scheduled sweep starts from the current factors instead of the seeded start
     * @param expectedUserTasks user partitions of the topology; a sweep computed here needs all of them here
     * @param firstAfterRatings run the first sweep (epoch 0 to 1) once this many ratings are stored,
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
        this.live = live;
        this.sweeper = sweeper;
        this.iterations = iterations;
        this.warm = warm;
        this.holdout = holdout;
        this.expectedUserTasks = expectedUserTasks;
        this.timeoutMs = timeoutMs;
        this.schedule = new SweepSchedule(everyEvents, everyMs, firstAfterRatings);
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
        schedule.closeStoredCount(task);
        tasks.remove(task);
        installs.installed(task);
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
        schedule.onEvent();
    }

    /** Asks for a sweep at the next punctuation; the future completes once every task installed it. */
    public CompletableFuture<ModelEpoch> requestSweep(int iters, boolean warm) {
        return request(iters, warm).done();
    }

    /**
     * Asks for a sweep at the next punctuation. A request still waiting is replaced by this one and
     * completes with it. The future completes once every task here installed the sweep, or exceptionally
     * when the sweep failed.
     */
    public Requested request(int iters, boolean warm) {
        SweepRequests.Request r = new SweepRequests.Request(iters, warm, new CompletableFuture<>());
        return new Requested(requests.add(r, live.epoch().epoch()), r.done());
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
     * sweep or two can be lost that way; the gap leaves room to spare. (A gathered sweep's epoch is also above
     * every epoch reserved on {@code sweep-control}.)
     */
    public CompletableFuture<ModelEpoch> requestRecoverySweep() {
        requests.recovery();
        return requestSweep(iterations, warm);
    }

    /** Whether this instance holds every user and item task, which a sweep here alone needs. */
    public boolean canSweep() {
        return userTasks.size() == expectedUserTasks && tasks.size() == 2 * expectedUserTasks;
    }

    /** {@code sweep.first.after.ratings}: the first sweep runs once this many ratings are stored (0: off). */
    public long firstSweepAfterRatings() {
        return schedule.firstAfterRatings();
    }

    /**
     * Whether a user task opening now should count the ratings its store holds: only while no sweep has
     * happened (epoch 0) and the early first sweep is on; otherwise nothing reads the count.
     */
    public boolean countsStoredRatings() {
        return schedule.firstAfterRatings() > 0 && live.epoch().epoch() == 0;
    }

    /**
     * A user task's count of stored ratings, starting at what its store held when it opened
     * ({@code held}); the task adds 1 per new pair and subtracts 1 per delete. Dropped when the task
     * closes, so a task that moves or reopens is never counted twice.
     */
    public AtomicLong openStoredCount(String task, long held) {
        return schedule.openStoredCount(task, held);
    }

    /** Ratings stored in this instance's user tasks, as far as counted (see {@link #openStoredCount}). */
    public long storedRatings() {
        return schedule.storedRatings();
    }

    /** Partitions of the keyed topics. */
    public int partitions() {
        return expectedUserTasks;
    }

    /** This instance's share of the user partitions: 1 when it sweeps alone (or holds none). */
    private double share() {
        int mine = userTasks.size();
        return canSweep() || mine == 0 ? 1.0 : (double) mine / expectedUserTasks;
    }

    boolean due(long nowMs) {
        return requests.waiting() || schedule.due(nowMs, live.epoch().epoch(), share());
    }

    /**
     * Spreads sweeps over instances through Kafka from now on (docs/design.md §2.9).
     *
     * @param settled whether this instance's assignment is settled (Streams RUNNING): a gathered sweep starts or is
     *                joined only then, since a task that registers after it would never install it
     */
    public void attach(SweepExchange exchange, BooleanSupplier settled) {
        this.exchange = exchange;
        this.settled = settled;
    }

    /** Runs the implicit-ALS sweep with every sweep computed here, in the same stop-the-world window (§1.9). */
    public void attachImplicit(ImplicitSweep s) {
        this.implicit = s;
    }

    /** The implicit sweep, or null when the live implicit model is off. */
    public ImplicitSweep implicit() {
        return implicit;
    }

    @Override
    public boolean settled() {
        return settled.getAsBoolean();
    }

    /**
     * Runs a sweep if one is due and this instance can; called from a user task's punctuation.
     * Returns the result, which the caller publishes, or null. With the partitions spread over instances
     * and an exchange attached, the leader starts a gathered sweep instead, which the exchange runs and
     * installs; null is returned.
     */
    public synchronized SweepResult runIfDue(long nowMs) {
        if (installs.busy() || !due(nowMs)) {
            return null;
        }
        SweepExchange x = exchange;
        // Every user and item task must be here: a task that registers after the sweep would never install it.
        // A request waits for them (at start-up they register one by one); the schedule starts over.
        if (!canSweep()) {
            if (x != null && !userTasks.isEmpty()) {
                // Not while tasks are still registering (a start, a rebalance): one that came after the sweep would
                // never install it, and on a single instance the sweep runs here once all of them are in.
                if (settled.getAsBoolean()) {
                    gatherIfLeader(x, nowMs);
                }
            } else {
                waitForTasks(nowMs);
            }
            return null;
        }
        if (x != null && x.busy()) {
            return null;
        }
        SweepRequests.Taken t = requests.take(live.epoch().epoch(), x == null ? 0 : x.reserved() + 1);
        long stamp = world.writeLock();
        try {
            return sweep(t);
        } catch (RuntimeException | Error e) {
            requests.served(true);
            if (t.request() != null) {
                t.request().done().completeExceptionally(e);
            }
            throw e;
        } finally {
            world.unlockWrite(stamp);
        }
    }

    private void waitForTasks(long nowMs) {
        boolean requested = requests.waiting();
        if (nowMs - lastSkipLogMs >= 60_000) {
            lastSkipLogMs = nowMs;
            LOG.warn("sweep waits: this instance has {} of {} user and {} of {} item tasks; sweeps need all of "
                    + "them on one instance{}", userTasks.size(), expectedUserTasks,
                    tasks.size() - userTasks.size(), expectedUserTasks,
                    requested ? " (a requested sweep stays pending)" : "");
        }
        if (!requested) {
            schedule.skipped(nowMs);
        }
    }

    /** The leader starts a gathered sweep; another instance forwards its request to the leader. */
    private void gatherIfLeader(SweepExchange x, long nowMs) {
        if (x.busy()) {
            return;
        }
        if (!isLeader()) {
            SweepRequests.Request r = requests.forwardDue(nowMs);
            if (r != null) {
                x.forward(r.iterations(), r.warm(), requests.recoveryWaiting());
            }
            return;
        }
        SweepRequests.Taken t = requests.take(live.epoch().epoch(), x.reserved() + 1);
        schedule.started(nowMs);
        LOG.info("sweep epoch {}: gathering the ratings of {} partitions from every instance", t.epoch(),
                expectedUserTasks);
        SweepRequests.Request r = t.request();
        x.startSweep(t.epoch(), r == null ? iterations : r.iterations(), r == null ? warm : r.warm());
    }

    private SweepResult sweep(SweepRequests.Taken t) {
        SweepRequests.Request r = t.request();
        Sweeper.Collector c = newCollector();
        // In partition order, as a gathered sweep's leader feeds them (Gathering), so both sweep the same model.
        List<UserTask> ordered = new ArrayList<>(userTasks.values());
        ordered.sort(Comparator.comparingInt(UserTask::partition));
        for (UserTask task : ordered) {
            task.collect(c);
        }
        schedule.started(System.currentTimeMillis());
        SweepResult result = compute(c, t.epoch(), r == null ? iterations : r.iterations(),
                r == null ? warm : r.warm());
        ImplicitSweep im = implicit;
        if (im != null) {
            // Before the explicit stage: the implicit tasks stamp their updates with the epoch they installed, and
            // the outcome must be there before any task can see the new live epoch.
            im.run(t.epoch());
        }
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
        schedule.finished(System.currentTimeMillis());
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
        schedule.finished(System.currentTimeMillis());
        SweepRequests.Request served = requests.served(computedHere);
        installs.stage(outcome, tasks, served == null ? new CompletableFuture<>() : served.done());
    }

    /**
     * Waits until this instance's live epoch reaches {@code epoch}, at most {@code sweep.timeout.ms}: an item
     * update stamped with a gathered sweep's epoch can come from an instance that installed it before this one.
     */
    public void awaitEpoch(int epoch) {
        if (exchange != null) {
            installs.awaitEpoch(live, epoch, timeoutMs);
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
    public SortedMap<Integer, UserTask> userTasks() {
        TreeMap<Integer, UserTask> out = new TreeMap<>();
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
        requests.abandoned();
    }

    @Override
    public void requested(SweepWire.Request r) {
        LOG.info("sweep requested by instance {}{}", r.from(), r.recovery() ? " (recovery)" : "");
        if (r.recovery()) {
            requests.recovery();
        }
        request(r.iterations(), r.warm());
    }

    /** The sweep this task still has to install, or null. */
    public SweepOutcome pendingFor(String task) {
        return installs.pendingFor(task);
    }

    public void installed(String task) {
        installs.installed(task);
    }
}
