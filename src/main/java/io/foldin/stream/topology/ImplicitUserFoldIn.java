package io.foldin.stream.topology;

import io.foldin.model.ImplicitAls;
import io.foldin.model.ImplicitParams;
import io.foldin.model.ImplicitStats;
import io.foldin.stream.event.InteractionEvent;
import io.foldin.stream.event.InteractionEventParser;
import io.foldin.stream.event.ParseResult;
import io.foldin.stream.event.RatingEvent;
import io.foldin.stream.event.RatingEventParser;
import io.foldin.stream.event.Rejection;
import io.foldin.stream.event.UserKey;
import io.foldin.stream.kafka.Topics;
import io.foldin.stream.live.ImplicitTable;
import io.foldin.stream.sweep.ImplicitSweep;
import io.foldin.stream.sweep.SweepCoordinator;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * User side of the live implicit-ALS model (docs/design.md §1.9), a processor of the user task beside
 * {@link UserFoldIn}: its sources are {@code ratings}, {@code ratings-rekeyed}, {@code interactions} and
 * {@code interactions-rekeyed}, co-partitioned by userId. Per event it updates the pair's weight in
 * {@code implicit-user-items} ({@link ImplicitPairs}: interaction weights, plus 1 while the latest rating is at or
 * above {@code implicit.threshold}) and marks the user. Once per publish interval (and before each commit) each
 * marked user is solved exactly against the live item table,
 * <pre>
 *   x_u = (YᵀY + λI + Σ_{i ∈ N(u)} α w_ui y_i y_iᵀ)⁻¹ Σ_{i ∈ N(u)} (1 + α w_ui) y_i,     O(|N(u)| D² + D³)
 * </pre>
 * published to {@code implicit-user-factors}, and the user's pair changes of the interval go to the item side
 * with the new x_u ({@link ImplicitItemUpdates}).
 *
 * <p>Placement: an interaction read off its user's owner partition ({@link Misplaced}) is sent on through
 * {@code interactions-rekeyed} with the canonical key; a misplaced rating is skipped here, because
 * {@link UserFoldIn} re-keys it and it comes back on {@code ratings-rekeyed}. Rejected interactions go to
 * {@code ratings-dlq} with the reason; rejected ratings are {@link UserFoldIn}'s to reject.
 *
 * <p>Prequential: with {@code predictions} on, each interaction that starts a pair is first ranked
 * ({@link ImplicitRank}) with the user's x_u solved from the pairs before it, to {@code implicit-predictions}
 * (key userId int32, value itemId int32, rank int32).
 */
final class ImplicitUserFoldIn implements Processor<byte[], byte[], byte[], byte[]>, ImplicitSweep.UserTask {
    static final String DLQ_SINK = "implicit-dlq-sink";
    static final String REKEYED_SINK = "interactions-rekeyed-sink";
    static final String UPDATES_SINK = "implicit-item-updates-sink";
    static final String FACTORS_SINK = "implicit-user-factors-sink";
    static final String PREDICTIONS_SINK = "implicit-predictions-sink";

    /** A user's pair changes since its last publication: item → {weight before, weight now}. */
    private static final class Changes {
        long oldest;
        final Map<Integer, float[]> items = new LinkedHashMap<>();
    }

    private final FoldinTopology.Context env;
    private final StreamConfig.Implicit cfg;
    private final ImplicitParams params;
    private final int d;
    private final SweepCoordinator sweeps;
    private final ImplicitTable items;
    private final RatingEventParser ratingParser = new RatingEventParser();
    private final InteractionEventParser parser = new InteractionEventParser();
    private final ImplicitAls.Workspace ws;
    private final ImplicitStats stats;
    private final float[] row;
    private final float[] x;
    private final double[] gram;
    private final LongAdder[] rekeyed;
    private final Map<Integer, Changes> pending = new LinkedHashMap<>();
    private ProcessorContext<byte[], byte[]> ctx;
    private KeyValueStore<Bytes, byte[]> pairs;
    private ImplicitItemUpdates.Buffers outbox;
    private int partition;
    private String task;
    /** The implicit sweep of this instance (null: none attached); see {@link #install}. */
    private final ImplicitSweep sweep;
    /**
     * The epoch of the last implicit sweep this task installed: it stamps the task's item updates and factors, so
     * an item task that installed a later sweep (which counted these changes) skips them.
     */
    private int installed;

    ImplicitUserFoldIn(FoldinTopology.Context env) {
        this.env = env;
        this.cfg = env.config().implicit();
        this.params = cfg.params();
        this.d = params.factors();
        this.sweeps = env.sweeps();
        this.items = env.live().implicitItems();
        this.ws = new ImplicitAls.Workspace(d);
        this.stats = new ImplicitStats(d);
        this.row = new float[d];
        this.x = new float[d + 1];
        this.gram = new double[io.foldin.model.PackedGram.size(d)];
        this.rekeyed = Misplaced.counters(env.live().metrics());
        this.sweep = sweeps.implicit();
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        ctx = context;
        pairs = context.getStateStore(Stores.IMPLICIT_USER_ITEMS);
        partition = context.taskId().partition();
        task = "implicit-user-" + context.taskId();
        if (sweep != null) {
            sweep.register(task, this);
        }
        outbox = new ImplicitItemUpdates.Buffers(d, env.partitions(), (p, bundle, ts) ->
                ctx.forward(new Record<>(FoldinTopology.intKey(p), bundle, ts), UPDATES_SINK));
        CommitHook hook = context.getStateStore(Stores.IMPLICIT_COMMIT_HOOK);
        // Before each commit: a committed event never has its pair change still unsent to the item side.
        hook.beforeEachCommit(context, this::publishAll);
        context.schedule(Duration.ofMillis(env.config().publishIntervalMs()), PunctuationType.WALL_CLOCK_TIME,
                now -> {
                    long stamp = sweeps.enter();
                    try {
                        publishAll();
                    } finally {
                        sweeps.exit(stamp);
                    }
                });
    }

    @Override
    public void process(Record<byte[], byte[]> rec) {
        long stamp = sweeps.enter();
        try {
            install();
            RecordMetadata meta = ctx.recordMetadata().orElse(null);
            String topic = meta == null ? Topics.INTERACTIONS : meta.topic();
            if (Topics.RATINGS.equals(topic) || Topics.RATINGS_REKEYED.equals(topic)) {
                rating(rec, Topics.RATINGS.equals(topic));
            } else {
                interaction(rec, meta, Topics.INTERACTIONS.equals(topic));
            }
        } finally {
            sweeps.exit(stamp);
        }
    }

    /** A rating moves the pair's weight by its threshold flag only: at or above it counts 1, below (or deleted) 0. */
    private void rating(Record<byte[], byte[]> rec, boolean mayBeMisplaced) {
        if (!(ratingParser.parse(null, rec.value(), rec.timestamp()) instanceof RatingEvent r)) {
            return;
        }
        if (mayBeMisplaced && Misplaced.check(rec.key(), r.userId(), partition, env.partitions()) != null) {
            return;
        }
        boolean rated = !r.isDelete() && cfg.ratingWeight(r.rating()) > 0;
        byte[] key = RatingKey.of(r.userId(), r.itemId());
        byte[] old = pairs.get(Bytes.wrap(key));
        if (ImplicitPairs.rated(old) == rated) {
            return;
        }
        if (rated) {
            predict(rec, r.userId(), r.itemId(), old);
        }
        float interactions = ImplicitPairs.interactions(old);
        put(key, interactions, rated);
        changed(r.userId(), r.itemId(), ImplicitPairs.weight(old), interactions + (rated ? 1 : 0), rec.timestamp());
    }

    private void interaction(Record<byte[], byte[]> rec, RecordMetadata meta, boolean mayBeMisplaced) {
        ParseResult parsed = parser.parse(rec.value(), rec.timestamp());
        if (parsed instanceof Rejection rejection) {
            env.reject(ctx, rec, meta, rejection, DLQ_SINK);
            return;
        }
        InteractionEvent e = (InteractionEvent) parsed;
        if (mayBeMisplaced) {
            Misplaced m = Misplaced.check(rec.key(), e.userId(), partition, env.partitions());
            if (m != null) {
                rekeyed[m.ordinal()].increment();
                ctx.forward(rec.withKey(UserKey.of(e.userId())), REKEYED_SINK);
                return;
            }
        }
        byte[] key = RatingKey.of(e.userId(), e.itemId());
        byte[] old = pairs.get(Bytes.wrap(key));
        predict(rec, e.userId(), e.itemId(), old);
        boolean rated = ImplicitPairs.rated(old);
        float interactions = ImplicitPairs.interactions(old) + e.weight();
        put(key, interactions, rated);
        changed(e.userId(), e.itemId(), ImplicitPairs.weight(old), interactions + (rated ? 1 : 0), rec.timestamp());
    }

    /** A pair whose weight falls to 0 (a re-rating below the threshold, no interactions) leaves the store. */
    private void put(byte[] key, float interactions, boolean rated) {
        if (interactions == 0f && !rated) {
            pairs.delete(Bytes.wrap(key));
        } else {
            pairs.put(Bytes.wrap(key), ImplicitPairs.value(interactions, rated));
        }
    }

    /** With predictions on, a new pair's rank before it is folded in (a repeated pair is not scored, as offline). */
    private void predict(Record<byte[], byte[]> rec, int user, int item, byte[] old) {
        if (!env.config().emitPredictions() || ImplicitPairs.weight(old) > 0) {
            return;
        }
        solve(user);
        int rank = ImplicitRank.rank(items, x, item, ImplicitPairs.items(pairs, user), row);
        ctx.forward(new Record<>(FoldinTopology.intKey(user), ByteBuffer.allocate(8).putInt(item).putInt(rank).array(),
                rec.timestamp()), PREDICTIONS_SINK);
    }

    private void changed(int user, int item, float before, float after, long timestamp) {
        Changes c = pending.computeIfAbsent(user, k -> {
            Changes n = new Changes();
            n.oldest = timestamp;
            return n;
        });
        c.oldest = Math.min(c.oldest, timestamp);
        float[] w = c.items.get(item);
        if (w == null) {
            c.items.put(item, new float[]{before, after});
        } else {
            w[1] = after;
        }
    }

    /**
     * The exact row solve of the user's whole list against the live table into {@code x[0..D)}, x[D] = 0; returns
     * the user's number of interacted items. O(|N(u)| D²): S and h are summed from the list, then one Cholesky.
     */
    private int solve(int user) {
        stats.clear();
        try (KeyValueIterator<Bytes, byte[]> it = pairs.range(Bytes.wrap(RatingKey.first(user)),
                Bytes.wrap(RatingKey.last(user)))) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                float w = ImplicitPairs.weight(kv.value);
                if (w > 0) {
                    if (!items.get(RatingKey.item(kv.key.get()), row)) {
                        java.util.Arrays.fill(row, 0f); // an item not in the table yet: y = 0 until it is
                    }
                    stats.change(row, 0, 0, w, params.alpha());
                }
            }
        }
        items.gram(gram);
        if (!stats.solve(gram, params, x, 0, ws)) {
            // Cannot happen with λ > 0 short of overflow; the user keeps its published vector (or 0).
            env.counter(io.foldin.metrics.Metric.SOLVE_FAILURES, "implicit_user").increment();
            if (!env.live().implicitUsers().get(user, x)) {
                java.util.Arrays.fill(x, 0f);
            }
        }
        x[d] = 0f;
        return stats.count();
    }

    /** Solves and publishes each marked user once, and sends its pair changes to the item side with the new x_u. */
    private void publishAll() {
        install();
        if (pending.isEmpty()) {
            return;
        }
        int epoch = installed;
        for (Map.Entry<Integer, Changes> e : pending.entrySet()) {
            int user = e.getKey();
            Changes c = e.getValue();
            int count = solve(user);
            ctx.forward(new Record<>(FoldinTopology.intKey(user), new FactorRecord(epoch, count, x).encode(), c.oldest),
                    FACTORS_SINK);
            for (Map.Entry<Integer, float[]> w : c.items.entrySet()) {
                if (w.getValue()[0] != w.getValue()[1]) {
                    outbox.add(w.getKey(), c.oldest, user, w.getValue()[0], w.getValue()[1], epoch, x);
                }
            }
        }
        pending.clear();
        outbox.sendAll();
    }

    /**
     * Once per implicit sweep, before anything else: publishes this task's users' vectors from the sweep (already
     * in the table) and drops the changes not yet published, which the sweep counted.
     */
    private void install() {
        ImplicitSweep.Outcome o = sweep == null ? null : sweep.latest();
        if (o == null || o.epoch() <= installed) {
            return;
        }
        pending.clear();
        long now = System.currentTimeMillis();
        int last = -1;
        int count = 0;
        try (KeyValueIterator<Bytes, byte[]> it = pairs.all()) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                int user = RatingKey.user(kv.key.get());
                if (user != last) {
                    publishSwept(o, last, count, now);
                    last = user;
                    count = 0;
                }
                count += ImplicitPairs.weight(kv.value) > 0 ? 1 : 0;
            }
        }
        publishSwept(o, last, count, now);
        installed = o.epoch();
    }

    private void publishSwept(ImplicitSweep.Outcome o, int user, int count, long now) {
        if (user < 0 || count == 0 || !o.user(user, x)) {
            return;
        }
        x[d] = 0f;
        ctx.forward(new Record<>(FoldinTopology.intKey(user), new FactorRecord(o.epoch(), count, x).encode(), now),
                FACTORS_SINK);
    }

    @Override
    public int partition() {
        return partition;
    }

    @Override
    public void collect(ImplicitSweep.WeightSink sink) {
        try (KeyValueIterator<Bytes, byte[]> it = pairs.all()) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                float w = ImplicitPairs.weight(kv.value);
                if (w > 0) {
                    byte[] k = kv.key.get();
                    sink.add(RatingKey.user(k), RatingKey.item(k), w);
                }
            }
        }
    }

    @Override
    public void close() {
        if (sweep != null) {
            sweep.unregister(task);
        }
    }
}
