package io.foldin.stream.topology;

import io.foldin.metrics.Histogram;
import io.foldin.metrics.Metric;
import io.foldin.model.AugmentedSolver;
import io.foldin.stream.live.LiveModel;
import io.foldin.stream.sweep.SweepCoordinator;
import io.foldin.stream.sweep.SweepOutcome;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Item side of the fold-in. For each {@link ItemUpdate} in the bundles on {@code item-updates}:
 * update the item's statistics with the rater's {@code y_u = [U_u; 1]} and target
 * {@code x = r − μ − b_u}. Once per publish interval, each changed item is re-solved, {@code [V_i; b_i]} under the genre prior mean
 * {@code m_i} (zero without genres), and published to {@code item-factors}, from which every
 * instance's global table is fed: a popular item gets one solve and one record per interval
 * instead of one per rating. The statistics are exact per event; only the solve is batched.
 *
 * <p>Changed items are also published before each commit of the task ({@link PreCommitStore}), so no
 * committed update is left out of its item's published factor, and a restart republishes nothing: the
 * factors a clean restart serves are the ones it stopped with. (After a crash under at-least-once the
 * recovery sweep republishes every item; under exactly-once the uncommitted publications are aborted with
 * the updates they followed.)
 */
final class ItemFoldIn implements Processor<byte[], byte[], byte[], byte[]> {
    private final FoldinTopology.Context env;
    private final LiveModel live;
    private final SweepCoordinator sweeps;
    private final AugmentedSolver solver;
    /** The published item's variances; FactorRecord.encode copies them, so one per task is enough. */
    private final float[] varianceWork;
    /** Variances last computed per item, re-sent until the item's count has grown by 10% (ItemVariances). */
    private final ItemVariances variances = new ItemVariances();
    private final int d;
    private final float[] userY;
    private final ItemUpdateBundle.Reader bundle;
    private final float[] mean;
    private final double[] tmp;
    private final Histogram latency;
    private final Histogram received;
    private final Histogram solved;
    private final java.util.concurrent.atomic.LongAdder events;
    private ProcessorContext<byte[], byte[]> ctx;
    private StatsStore stats;
    private String task;
    private final Pending<Void> pending = new Pending<>();
    /** Epoch of the last sweep this task installed while running, -1 before one. */
    private int installed = -1;

    ItemFoldIn(FoldinTopology.Context env) {
        this.env = env;
        this.live = env.live();
        this.sweeps = env.sweeps();
        this.d = env.config().params().factors();
        this.solver = new AugmentedSolver(env.config().params());
        this.varianceWork = new float[env.config().params().dim()];
        this.userY = new float[d + 1];
        this.bundle = new ItemUpdateBundle.Reader(d);
        this.mean = new float[d];
        this.tmp = new double[d + 1];
        this.latency = live.metrics().histogram(Metric.FOLD_IN_SECONDS, "item");
        this.received = live.metrics().histogram(Metric.PATH_AGE, "item_update_received");
        this.solved = live.metrics().histogram(Metric.PATH_AGE, "item_factor_sent");
        this.events = live.metrics().counter(Metric.EVENTS, "item");
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.ctx = context;
        this.stats = context.getStateStore(Stores.ITEM_STATS);
        this.task = "item-" + context.taskId();
        stats.beforeEachCommit(context, () -> {
            install();
            pending.drain(this::publish);
        });
        sweeps.registerTask(task);
        context.schedule(java.time.Duration.ofMillis(env.config().publishIntervalMs()),
                org.apache.kafka.streams.processor.PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    }

    @Override
    public void process(Record<byte[], byte[]> rec) {
        install();
        bundle.of(rec.value());
        while (bundle.next(userY)) {
            foldIn();
        }
    }

    private void foldIn() {
        long t0 = System.nanoTime();
        received.observeSince(bundle.timestamp());
        int item = bundle.item();
        if (bundle.epoch() > live.epoch().epoch()) {
            // Sent by an instance that installed a gathered sweep this one has not yet: wait for it here, or the
            // install would replace statistics this rating was already folded into.
            sweeps.awaitEpoch(bundle.epoch());
            install();
        }
        // Skip exactly the updates whose ratings the item's statistics already hold: those sent before the
        // sweep its statistics were last rebuilt by, whose epoch is its row's in the table (see publish). A
        // sweep puts its rows there before any task installs it; after a restart the table holds the
        // committed factors, as item-stats the committed statistics. The live epoch would not do: a crash
        // after a sweep's commit but before this task's install leaves it older statistics to fold into.
        // The task's last install counts too: after a crash under at-least-once an update may have been sent
        // whose rating was not stored, so the recovery sweep did not see its item at all (its row keeps an
        // older epoch), while the replayed event sends it again in the new epoch.
        if (bundle.epoch() < Math.max(installed, live.items().epoch(item))) {
            env.counter(Metric.ITEM_UPDATES_SUPERSEDED).increment();
            return;
        }
        EntityState s = stats.edit(item);
        double mu = live.epoch().mu();
        synchronized (s) {
            s.stats().change(userY, 0, bundle.rating(), bundle.previous(), mu + userY[d], tmp);
        }
        pending.mark(item, bundle.timestamp(), null);
        events.increment();
        latency.observeNanos(System.nanoTime() - t0);
    }

    private void punctuate(long now) {
        install();
        pending.drain(this::publish);
    }

    /** Re-solves the item from its statistics and publishes it, stamped with its oldest pending event. */
    private void publish(int item, long timestamp, Void unused) {
        EntityState s = stats.editExisting(item);
        if (s == null) {
            return;
        }
        float[] carried;
        synchronized (s) {
            float[] prior = live.priorMean(item, mean);
            carried = variances.fresh(item, s.count());
            if (carried != null) {
                env.solve(solver, s.stats(), prior, s.factor(), "item", item);
            } else if (env.solveWithVariance(solver, s.stats(), prior, s.factor(), varianceWork, "item", item)) {
                variances.computed(item, s.count(), varianceWork);
                carried = varianceWork;
            } else {
                variances.forget(item);
            }
        }
        // Stamped with the epoch of the sweep that last rebuilt the item's statistics (0: none), which only an
        // install advances, so the row never claims a sweep the statistics have not been rebuilt by.
        ctx.forward(new Record<>(FoldinTopology.intKey(item),
                new FactorRecord(Math.max(0, live.items().epoch(item)), (int) s.count(), s.factor(),
                        carried).encode(),
                timestamp), FoldinTopology.ITEM_FACTORS_SINK);
        solved.observeSince(timestamp);
    }

    /**
     * Rebuilds the statistics of this task's items from a finished sweep and publishes their factors: the
     * items it holds, and the sweep's items of its partition that it does not hold yet, whose every rating
     * was still on its way here. The sweep counted those ratings and their updates will be skipped as
     * older, so without their statistics from the sweep they would be lost.
     */
    private void install() {
        SweepOutcome r = sweeps.pendingFor(task);
        if (r == null) {
            return;
        }
        int epoch = r.epoch().epoch();
        long now = System.currentTimeMillis();
        Set<Integer> keys = new LinkedHashSet<>();
        stats.forEachId(keys::add);
        int partition = ctx.taskId().partition();
        r.forEachItem(item -> {
            if (ItemUpdateBundle.partitionOf(item, env.partitions()) == partition) {
                keys.add(item);
            }
        });
        for (int item : keys) {
            EntityState s = new EntityState(d);
            if (!r.itemStats(item, s.stats(), s.factor(), tmp)) {
                s = new EntityState(d);
                float[] m = live.priorMean(item, mean);
                if (m != null) {
                    System.arraycopy(m, 0, s.factor(), 0, d);
                }
                // The sweep put its own items in the table; this one goes there now too, so a publication
                // that follows (stamped with the table's epoch) is not taken for one from before the sweep.
                live.items().put(item, epoch, 0, s.factor());
            }
            stats.put(item, s);
            ctx.forward(new Record<>(FoldinTopology.intKey(item),
                    new FactorRecord(epoch, (int) s.count(), s.factor(), variance(item, s)).encode(), now),
                    FoldinTopology.ITEM_FACTORS_SINK);
        }
        pending.clear();
        installed = epoch;
        sweeps.installed(task);
        ctx.commit();
    }

    @Override
    public void close() {
        sweeps.unregister(task);
    }

    /**
     * The item's posterior variances with the users fixed, {@code diag((λ G_i + diag(τ,…,τ,γ))⁻¹)}, carried in
     * its factor record for variance-aware ranking (docs/design.md §1.8); null when A is not positive definite.
     */
    private float[] variance(int item, EntityState s) {
        synchronized (s) {
            if (!solver.posteriorVariance(s.stats().gram(), varianceWork)) {
                variances.forget(item);
                return null;
            }
            variances.computed(item, s.count(), varianceWork);
            return varianceWork;
        }
    }
}
