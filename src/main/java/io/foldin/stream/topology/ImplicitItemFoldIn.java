package io.foldin.stream.topology;

import io.foldin.model.ImplicitAls;
import io.foldin.model.ImplicitParams;
import io.foldin.model.ImplicitStats;
import io.foldin.model.PackedGram;
import io.foldin.stream.live.ImplicitTable;
import io.foldin.stream.sweep.ImplicitSweep;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Item side of the live implicit-ALS model (docs/design.md §1.9), one task per partition of
 * {@code implicit-item-updates}. Each update (a pair's weight w₀ → w₁ with the user's new x_u) is folded into the
 * item's {@link ImplicitStats} in {@code implicit-item-stats}:
 * <pre>
 *   S_i += α (w₁ − w₀) x_u x_uᵀ,   h_i += (α (w₁ − w₀) + [w₁ &gt; 0] − [w₀ &gt; 0]) x_u
 * </pre>
 * and the item is marked; once per publish interval each marked item is solved,
 * {@code y_i = (XᵀX + λI + S_i)⁻¹ h_i} with XᵀX from the live user table, and published to
 * {@code implicit-item-factors}. A changed item's statistics stay decoded in memory and are written to the store (and
 * its changelog) once per interval, with its solve, and in any case before each commit of the task
 * ({@link CommitHook}), so a committed update always has its statistics in the changelog. Written per bundle
 * instead, a popular item's 4.5 KB state went to RocksDB and the changelog in nearly every bundle.
 */
final class ImplicitItemFoldIn implements Processor<byte[], byte[], byte[], byte[]> {
    static final String FACTORS_SINK = "implicit-item-factors-sink";

    private final FoldinTopology.Context env;
    private final ImplicitParams params;
    private final int d;
    private final ImplicitTable users;
    private final ImplicitItemUpdates.Reader reader;
    private final ImplicitAls.Workspace ws;
    private final float[] x;
    private final float[] y;
    private final double[] gram;
    /** Items changed since the last publication, decoded, with the oldest unpublished update's time. */
    private final Map<Integer, ImplicitStats> changed = new HashMap<>();
    private final Pending<Void> pending = new Pending<>();
    private ProcessorContext<byte[], byte[]> ctx;
    private KeyValueStore<Integer, byte[]> store;
    private int partition;
    private final ImplicitSweep sweep;
    /** The last implicit sweep this task installed; updates stamped before it were counted by it and are skipped. */
    private int installed;

    ImplicitItemFoldIn(FoldinTopology.Context env) {
        this.env = env;
        this.params = env.config().implicit().params();
        this.d = params.factors();
        this.users = env.live().implicitUsers();
        this.reader = new ImplicitItemUpdates.Reader(d);
        this.ws = new ImplicitAls.Workspace(d);
        this.x = new float[d];
        this.y = new float[d + 1];
        this.gram = new double[PackedGram.size(d)];
        this.sweep = env.sweeps().implicit();
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        ctx = context;
        store = context.getStateStore(Stores.IMPLICIT_ITEM_STATS);
        partition = context.taskId().partition();
        CommitHook hook = context.getStateStore(Stores.IMPLICIT_ITEM_COMMIT_HOOK);
        hook.beforeEachCommit(context, this::publish);
        context.schedule(Duration.ofMillis(env.config().publishIntervalMs()), PunctuationType.WALL_CLOCK_TIME,
                now -> {
                    install();
                    publish();
                });
    }

    @Override
    public void process(Record<byte[], byte[]> rec) {
        install();
        ImplicitItemUpdates.Reader r = reader.of(rec.value());
        while (r.next(x)) {
            if (r.epoch < installed) {
                continue; // sent before the sweep this task installed, which counted the change
            }
            ImplicitStats s = state(r.item);
            s.change(x, 0, r.before, r.after, params.alpha());
            pending.mark(r.item, r.timestamp, null);
        }
    }

    /** The item's statistics, decoded once per publish interval. */
    private ImplicitStats state(int item) {
        ImplicitStats s = changed.get(item);
        if (s == null) {
            s = new ImplicitStats(d);
            byte[] stored = store.get(item);
            if (stored != null) {
                s.decode(stored);
            }
            changed.put(item, s);
        }
        return s;
    }

    /** Solves, publishes and writes each changed item once: every publish interval and before each commit. */
    private void publish() {
        if (changed.isEmpty()) {
            return;
        }
        users.gram(gram);
        int epoch = env.live().epoch().epoch();
        pending.drain((item, oldest, ignored) -> {
            ImplicitStats s = state(item);
            store.put(item, s.encode());
            if (!s.solve(gram, params, y, 0, ws)) {
                env.counter(io.foldin.metrics.Metric.SOLVE_FAILURES, "implicit_item").increment();
                return;
            }
            y[d] = 0f;
            ctx.forward(new Record<>(FoldinTopology.intKey(item), new FactorRecord(epoch, s.count(), y).encode(),
                    oldest), FACTORS_SINK);
        });
        changed.clear();
    }

    /**
     * Once per implicit sweep: the statistics of this partition's items rebuilt from the sweep's final user vectors
     * (an item the sweep did not see has none left), and their vectors published.
     */
    private void install() {
        ImplicitSweep.Outcome o = sweep == null ? null : sweep.latest();
        if (o == null || o.epoch() <= installed) {
            return;
        }
        changed.clear();
        pending.clear();
        java.util.Set<Integer> gone = new java.util.HashSet<>();
        try (var it = store.all()) {
            it.forEachRemaining(kv -> gone.add(kv.key));
        }
        ImplicitStats s = new ImplicitStats(d);
        long now = System.currentTimeMillis();
        for (int item : o.itemIdList()) {
            if (ItemUpdateBundle.partitionOf(item, env.partitions()) != partition) {
                continue;
            }
            o.itemStats(item, s);
            store.put(item, s.encode());
            gone.remove(item);
            o.item(item, y);
            y[d] = 0f;
            ctx.forward(new Record<>(FoldinTopology.intKey(item), new FactorRecord(o.epoch(), s.count(), y).encode(),
                    now), FACTORS_SINK);
        }
        for (int item : gone) {
            store.delete(item);
        }
        installed = o.epoch();
    }
}
