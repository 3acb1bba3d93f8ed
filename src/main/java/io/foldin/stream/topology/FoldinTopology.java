package io.foldin.stream.topology;

import io.foldin.metrics.Metric;
import io.foldin.model.AugmentedSolver;
import io.foldin.model.SufficientStats;
import io.foldin.stream.event.DeadLetter;
import io.foldin.stream.event.RatingEvent;
import io.foldin.stream.event.Rejection;
import io.foldin.stream.event.UserKey;
import io.foldin.stream.kafka.Topics;
import io.foldin.stream.live.LiveModel;
import io.foldin.stream.sweep.SweepCoordinator;
import io.foldin.stream.sweep.SweepResult;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.IntegerDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * The foldin topology (docs/design.md §2.2), built by a pure function of the configuration and the
 * instance's in-memory state:
 * <pre>
 * ratings ─▶ user-fold-in [user-ratings, user-stats] ─▶ item-updates ─▶ item-fold-in [item-stats] ─▶ item-factors
 *   ▲  │        ├─▶ ratings-dlq (rejections)  ├─▶ user-factors  ├─▶ predictions (optional)  └─▶ model (sweeps)
 *   │  └─ not on the user's owner partition ─▶ ratings-rekeyed (canonical key) ─┐
 *   └───────────── read by the same user fold-in, on the owner's task ─────────┘
 * item-factors ─▶ global store + {@link io.foldin.stream.live.ItemFactorTable} on every instance
 * items        ─▶ global store + {@link io.foldin.stream.live.ItemCatalog} on every instance
 * ratings, ratings-rekeyed, exposures ─▶ experiment-outcomes [experiment-exposures, experiment-totals] ─▶ experiment-totals
 * experiments, experiment-totals ─▶ global stores + {@link io.foldin.experiment.ExperimentBook} on every instance
 * </pre>
 * Internal and factor topics carry int32 keys and binary values: {@code item-updates} one
 * {@link ItemUpdateBundle} per record, keyed by its partition; the factor topics {@link FactorRecord}s
 * keyed by id. {@code ratings} and {@code items} keep their JSON contracts.
 */
public final class FoldinTopology {
    static final String DLQ_SINK = "dlq-sink";
    static final String REKEYED_SINK = "ratings-rekeyed-sink";
    static final String ITEM_UPDATES_SINK = "item-updates-sink";
    static final String USER_FACTORS_SINK = "user-factors-sink";
    static final String ITEM_FACTORS_SINK = "item-factors-sink";
    static final String PREDICTIONS_SINK = "predictions-sink";
    static final String MODEL_SINK = "model-sink";
    /** Key of the one record on topic {@code model}. */
    public static final byte[] MODEL_KEY = "current".getBytes(StandardCharsets.US_ASCII);

    private static final Logger LOG = LoggerFactory.getLogger(FoldinTopology.class);
    /** How long a changed statistics state stays unchanged before it is written ahead of the commit. */
    private static final int IDLE_WRITE_MS = 200;
    /**
     * How often the user side sends its item-update bundles (at most the publish interval). Each bundle
     * is one Kafka record instead of one per rating; this bounds the wait it adds to an item's freshness.
     */
    private static final int OUTBOX_FLUSH_MS = 10;

    private FoldinTopology() {
    }

    /** What the processors share: configuration, live state, sweeps, and the small helpers below. */
    public record Context(StreamConfig config, LiveModel live, SweepCoordinator sweeps) {

        void reject(ProcessorContext<byte[], byte[]> ctx, Record<byte[], byte[]> rec, RecordMetadata meta,
                    Rejection rejection) {
            reject(ctx, rec, meta, rejection, DLQ_SINK);
        }

        /** To the dead-letter queue through {@code sink}, a sink of {@code ratings-dlq} that is a child of the caller. */
        void reject(ProcessorContext<byte[], byte[]> ctx, Record<byte[], byte[]> rec, RecordMetadata meta,
                    Rejection rejection, String sink) {
            String topic = meta == null ? Topics.RATINGS : meta.topic();
            int partition = meta == null ? -1 : meta.partition();
            long offset = meta == null ? -1 : meta.offset();
            counter(Metric.DLQ, rejection.code()).increment();
            ctx.forward(new Record<>(rec.key(), rec.value(), rec.timestamp(),
                    DeadLetter.headers(rejection, topic, partition, offset)), sink);
        }

        void prediction(ProcessorContext<byte[], byte[]> ctx, Record<byte[], byte[]> rec, RatingEvent e,
                        float predicted) {
            byte[] v = ByteBuffer.allocate(12).putInt(e.itemId()).putFloat(e.rating()).putFloat(predicted).array();
            ctx.forward(rec.withKey(intKey(e.userId())).withValue(v), PREDICTIONS_SINK);
        }

        /**
         * Solves in place; a failure keeps the previous factor (the solver writes nothing then) and is
         * counted, never stops the stream.
         */
        void solve(AugmentedSolver solver, SufficientStats st, float[] priorMean, float[] factor, String side, int id) {
            if (!st.solve(solver, priorMean, 0, factor, 0)) {
                solveFailed(side, id);
            }
        }

        /** {@link #solve} that also writes the posterior variances; false (variance untouched) on a failure. */
        boolean solveWithVariance(AugmentedSolver solver, SufficientStats st, float[] priorMean, float[] factor,
                                  float[] variance, String side, int id) {
            if (!st.solveWithVariance(solver, priorMean, factor, variance)) {
                solveFailed(side, id);
                return false;
            }
            return true;
        }

        private void solveFailed(String side, int id) {
            counter(Metric.SOLVE_FAILURES, side).increment();
            LOG.error("{} {}: system not positive definite, factor kept; raise tau or gamma", side, id);
        }

        /** Publish intervals for {@link StatsStore#writeIdle}: {@value FoldinTopology#IDLE_WRITE_MS} ms, at least one. */
        int idleTicks() {
            return Math.max(1, IDLE_WRITE_MS / config.publishIntervalMs());
        }

        /** Milliseconds between sends of the item-update bundles: {@value FoldinTopology#OUTBOX_FLUSH_MS}, at most the publish interval. */
        int outboxFlushMs() {
            return Math.min(OUTBOX_FLUSH_MS, config.publishIntervalMs());
        }

        /** Partitions of every keyed topic (ratings, item-updates, ...); checked equal at start-up. */
        int partitions() {
            return sweeps.partitions();
        }

        LongAdder counter(Metric metric, String... tagValues) {
            return live.metrics().counter(metric, tagValues);
        }

        /** After a sweep (whose item factors the coordinator put in the table): the new epoch to topic model. */
        void publishSweep(ProcessorContext<byte[], byte[]> ctx, SweepResult r) {
            ctx.forward(new Record<>(MODEL_KEY, r.epoch().encode(), System.currentTimeMillis()), MODEL_SINK);
            var info = r.epoch().sweep();
            live.metrics().histogram(Metric.SWEEP_SECONDS)
                    .observe(info.durationMs() / 1000.0);
            LOG.info("sweep epoch={} ratings={} duration_ms={} holdout_rmse={}", r.epoch().epoch(), info.ratings(),
                    info.durationMs(), info.holdoutRmse());
        }
    }

    /** A re-keyed rating goes to its user's owner partition, by the one definition of it. */
    static Optional<Set<Integer>> ownerPartition(String topic, byte[] key, byte[] value, int partitions) {
        return Optional.of(Set.of(UserKey.partitionOfKey(key, partitions)));
    }

    static byte[] intKey(int id) {
        return ByteBuffer.allocate(4).putInt(id).array();
    }

    /** An item-update bundle's key is its partition (see {@link Outbox}). */
    static Optional<Set<Integer>> bundlePartition(String topic, byte[] key, byte[] value, int partitions) {
        int p = ByteBuffer.wrap(key).getInt();
        if (p < 0 || p >= partitions) {
            throw new IllegalStateException("item-update bundle for partition " + p + " of " + topic + ", which has "
                    + partitions + "; " + topic + " needs as many partitions as " + Topics.RATINGS);
        }
        return Optional.of(Set.of(p));
    }

    public static Topology build(Context env) {
        Topology t = new Topology();
        ByteArrayDeserializer bytesIn = new ByteArrayDeserializer();
        ByteArraySerializer bytesOut = new ByteArraySerializer();
        t.addSource("ratings-source", bytesIn, bytesIn, Topics.RATINGS);
        t.addSource("ratings-rekeyed-source", bytesIn, bytesIn, Topics.RATINGS_REKEYED);
        t.addProcessor("user-fold-in", () -> new UserFoldIn(env), "ratings-source", "ratings-rekeyed-source");
        t.addStateStore(Stores.userRatings(), "user-fold-in");
        t.addStateStore(Stores.stats(Stores.USER_STATS, env.config()), "user-fold-in");
        t.addSink(DLQ_SINK, Topics.RATINGS_DLQ, bytesOut, bytesOut, "user-fold-in");
        t.addSink(REKEYED_SINK, Topics.RATINGS_REKEYED, bytesOut, bytesOut, FoldinTopology::ownerPartition,
                "user-fold-in");
        t.addStateStore(Outbox.builder(Stores.ITEM_UPDATE_OUTBOX, env.config().params().factors()), "user-fold-in");
        t.addSink(ITEM_UPDATES_SINK, Topics.ITEM_UPDATES, bytesOut, bytesOut, FoldinTopology::bundlePartition,
                "user-fold-in");
        t.addSink(USER_FACTORS_SINK, Topics.USER_FACTORS, bytesOut, bytesOut, "user-fold-in");
        t.addSink(PREDICTIONS_SINK, Topics.PREDICTIONS, bytesOut, bytesOut, "user-fold-in");
        t.addSink(MODEL_SINK, Topics.MODEL, bytesOut, bytesOut, "user-fold-in");

        t.addSource("item-updates-source", bytesIn, bytesIn, Topics.ITEM_UPDATES);
        t.addProcessor("item-fold-in", () -> new ItemFoldIn(env), "item-updates-source");
        t.addStateStore(Stores.stats(Stores.ITEM_STATS, env.config()), "item-fold-in");
        t.addSink(ITEM_FACTORS_SINK, Topics.ITEM_FACTORS, bytesOut, bytesOut, "item-fold-in");

        // A/B experiments: the exposure–outcome join in the user task, beside the fold-in (ExperimentOutcomes).
        t.addSource("exposures-source", bytesIn, bytesIn, Topics.EXPOSURES);
        t.addProcessor("experiment-outcomes", () -> new ExperimentOutcomes(env), "ratings-source",
                "ratings-rekeyed-source", "exposures-source");
        t.addStateStore(Stores.experimentExposures(), "experiment-outcomes");
        t.addStateStore(Stores.experimentTotals(), "experiment-outcomes");
        t.addSink(ExperimentOutcomes.SINK, Topics.EXPERIMENT_TOTALS, bytesOut, bytesOut, "experiment-outcomes");

        IntegerDeserializer intIn = new IntegerDeserializer();
        if (env.config().implicit().enabled()) {
            addImplicit(t, env);
        }
        StringDeserializer textIn = new StringDeserializer();
        t.addGlobalStore(Stores.globalByName(Stores.EXPERIMENTS), "experiments-source", textIn, bytesIn,
                Topics.EXPERIMENTS, "experiments-table", () -> new ExperimentTables.Definitions(env.live()));
        t.addGlobalStore(Stores.globalByName(Stores.EXPERIMENT_TOTALS_GLOBAL), "experiment-totals-source", textIn,
                bytesIn, Topics.EXPERIMENT_TOTALS, "experiment-totals-table",
                () -> new ExperimentTables.Totals(env.live()));
        t.addGlobalStore(Stores.global(Stores.ITEM_FACTORS), "item-factors-source", intIn, bytesIn,
                Topics.ITEM_FACTORS, "item-factors-table", () -> new GlobalTables.ItemFactors(env.live()));
        t.addGlobalStore(Stores.global(Stores.ITEMS), "items-source", new GlobalTables.DecimalId(), bytesIn,
                Topics.ITEMS, "items-table", () -> new GlobalTables.Items(env.live()));
        return t;
    }

    /**
     * The live implicit model (docs/design.md §1.9), in processors of its own: {@code implicit-user} in the user
     * task beside the fold-in (its sources are the ratings' and the interactions'), {@code implicit-item} in a
     * sub-topology of its own, and the two global factor tables.
     */
    private static void addImplicit(Topology t, Context env) {
        ByteArrayDeserializer bytesIn = new ByteArrayDeserializer();
        ByteArraySerializer bytesOut = new ByteArraySerializer();
        t.addSource("interactions-source", bytesIn, bytesIn, Topics.INTERACTIONS);
        t.addSource("interactions-rekeyed-source", bytesIn, bytesIn, Topics.INTERACTIONS_REKEYED);
        t.addProcessor("implicit-user", () -> new ImplicitUserFoldIn(env), "ratings-source", "ratings-rekeyed-source",
                "interactions-source", "interactions-rekeyed-source");
        t.addStateStore(Stores.implicitUserItems(), "implicit-user");
        t.addStateStore(CommitHook.builder(Stores.IMPLICIT_COMMIT_HOOK), "implicit-user");
        t.addSink(ImplicitUserFoldIn.DLQ_SINK, Topics.RATINGS_DLQ, bytesOut, bytesOut, "implicit-user");
        t.addSink(ImplicitUserFoldIn.REKEYED_SINK, Topics.INTERACTIONS_REKEYED, bytesOut, bytesOut,
                FoldinTopology::ownerPartition, "implicit-user");
        t.addSink(ImplicitUserFoldIn.UPDATES_SINK, Topics.IMPLICIT_ITEM_UPDATES, bytesOut, bytesOut,
                FoldinTopology::bundlePartition, "implicit-user");
        t.addSink(ImplicitUserFoldIn.FACTORS_SINK, Topics.IMPLICIT_USER_FACTORS, bytesOut, bytesOut, "implicit-user");
        t.addSink(ImplicitUserFoldIn.PREDICTIONS_SINK, Topics.IMPLICIT_PREDICTIONS, bytesOut, bytesOut,
                "implicit-user");

        t.addSource("implicit-item-updates-source", bytesIn, bytesIn, Topics.IMPLICIT_ITEM_UPDATES);
        t.addProcessor("implicit-item", () -> new ImplicitItemFoldIn(env), "implicit-item-updates-source");
        t.addStateStore(Stores.implicitItemStats(), "implicit-item");
        t.addStateStore(CommitHook.builder(Stores.IMPLICIT_ITEM_COMMIT_HOOK), "implicit-item");
        t.addSink(ImplicitItemFoldIn.FACTORS_SINK, Topics.IMPLICIT_ITEM_FACTORS, bytesOut, bytesOut, "implicit-item");

        IntegerDeserializer intIn = new IntegerDeserializer();
        t.addGlobalStore(Stores.global(Stores.IMPLICIT_USER_FACTORS), "implicit-user-factors-source", intIn, bytesIn,
                Topics.IMPLICIT_USER_FACTORS, "implicit-user-factors-table",
                () -> new GlobalTables.ImplicitFactors(env.live().implicitUsers(), Stores.IMPLICIT_USER_FACTORS));
        t.addGlobalStore(Stores.global(Stores.IMPLICIT_ITEM_FACTORS), "implicit-item-factors-source", intIn, bytesIn,
                Topics.IMPLICIT_ITEM_FACTORS, "implicit-item-factors-table",
                () -> new GlobalTables.ImplicitFactors(env.live().implicitItems(), Stores.IMPLICIT_ITEM_FACTORS));
    }
}
