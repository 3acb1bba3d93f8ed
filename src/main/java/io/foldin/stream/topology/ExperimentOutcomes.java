package io.foldin.stream.topology;

import io.foldin.experiment.ExperimentBook;
import io.foldin.experiment.Exposure;
import io.foldin.experiment.UserExposures;
import io.foldin.experiment.VariantTotals;
import io.foldin.metrics.Metric;
import io.foldin.stream.event.RatingEvent;
import io.foldin.stream.event.RatingEventParser;
import io.foldin.stream.event.UserKey;
import io.foldin.stream.kafka.Topics;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * The exposure–outcome join of A/B experiments, in the user task (its sources are {@code ratings},
 * {@code ratings-rekeyed} and {@code exposures}, co-partitioned by userId). An exposure record adds the
 * items shown to the user's entry of (experiment, variant) in {@code experiment-exposures}, counting the
 * user in that variant the first time. A later rating of a shown item within
 * {@code experiments.window.ms} (record timestamps) is an outcome: the user's outcome, the mean of their
 * outcome ratings, changes, and the variant's totals in {@code experiment-totals} follow (the sums of the
 * outcomes and of their squares are corrected by the change, so the variance is over users, not ratings).
 * Changed totals go to topic {@code experiment-totals} once per punctuation, keyed by partition, and every
 * instance sums them ({@link ExperimentBook}). Both stores are changelogged task stores, so this join has
 * the guarantee of the fold-in beside it.
 *
 * <p>Cost: with no experiment defined a rating costs one check; otherwise a second parse of the event and
 * a point read of {@code experiment-exposures} (a bloom-filter miss for users never exposed).
 *
 * <p>Placement: a rating read on a partition other than its user's owner is skipped here; the user fold-in
 * re-keys it to {@code ratings-rekeyed}, where the owner's task reads it. A rating read before its exposure
 * is not an outcome (exposures are written before the recommendation is answered, so that is rare, and alike
 * in every variant).
 */
final class ExperimentOutcomes implements Processor<byte[], byte[], byte[], byte[]> {
    static final String SINK = "experiment-totals-sink";
    /** A rating stamped this much before its exposure still counts: the two clocks may differ. */
    static final long CLOCK_SLACK_MS = 1000;

    private final FoldinTopology.Context env;
    private final ExperimentBook book;
    private final RatingEventParser parser = new RatingEventParser();
    private final Set<String> changed = new LinkedHashSet<>();
    private final LongAdder outcomes;
    private final LongAdder misplaced;
    private ProcessorContext<byte[], byte[]> ctx;
    private KeyValueStore<Integer, byte[]> users;
    private KeyValueStore<String, byte[]> totals;
    private int partition;

    ExperimentOutcomes(FoldinTopology.Context env) {
        this.env = env;
        this.book = env.live().experiments();
        this.outcomes = env.counter(Metric.EXPERIMENT_OUTCOMES);
        this.misplaced = env.counter(Metric.EXPERIMENT_EXPOSURES_MISPLACED);
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        ctx = context;
        users = context.getStateStore(Stores.EXPERIMENT_EXPOSURES);
        totals = context.getStateStore(Stores.EXPERIMENT_TOTALS);
        partition = context.taskId().partition();
        // After a restart or a move, what was changed but not yet sent is unknown: send every total once.
        try (var it = totals.all()) {
            it.forEachRemaining(kv -> changed.add(kv.key));
        }
        context.schedule(Duration.ofMillis(Math.max(100, env.config().publishIntervalMs())),
                PunctuationType.WALL_CLOCK_TIME, now -> publish());
    }

    @Override
    public void process(Record<byte[], byte[]> rec) {
        String topic = ctx.recordMetadata().map(m -> m.topic()).orElse(Topics.RATINGS);
        if (Topics.EXPOSURES.equals(topic)) {
            exposure(rec);
        } else {
            rating(rec);
        }
    }

    private void exposure(Record<byte[], byte[]> rec) {
        Exposure x = Exposure.decode(rec.value());
        if (x == null || UserKey.partition(x.userId(), env.partitions()) != partition) {
            misplaced.increment();
            return;
        }
        UserExposures u = UserExposures.decode(users.get(x.userId()));
        boolean first = u.entry(x.experiment(), x.variant(), false) == null;
        UserExposures.Entry e = u.entry(x.experiment(), x.variant(), true);
        u.expire(x.timeMs() - book.windowMs());
        u.show(e, x.items(), x.timeMs());
        users.put(x.userId(), u.encode());
        VariantTotals t = totals(e);
        put(e, new VariantTotals(t.users() + (first ? 1 : 0), t.exposures() + 1, t.converted(), t.ratings(),
                t.sum(), t.sumSq()));
    }

    private void rating(Record<byte[], byte[]> rec) {
        // Without experiments the fold-in's hot path pays nothing here: no parse, no store read. Ratings that
        // arrive while no experiment is defined are no outcomes (a readout needs a defined experiment anyway).
        if (book.isEmpty()) {
            return;
        }
        if (!(parser.parse(null, rec.value(), rec.timestamp()) instanceof RatingEvent r) || r.isDelete()
                || UserKey.partition(r.userId(), env.partitions()) != partition) {
            return;
        }
        byte[] stored = users.get(r.userId());
        if (stored == null) {
            return;
        }
        UserExposures u = UserExposures.decode(stored);
        List<Double> before = new ArrayList<>(1);
        List<UserExposures.Entry> hit = u.rate(r.itemId(), r.rating(), rec.timestamp(), book.windowMs(),
                CLOCK_SLACK_MS, before);
        if (hit.isEmpty()) {
            return;
        }
        users.put(r.userId(), u.encode());
        for (int k = 0; k < hit.size(); k++) {
            UserExposures.Entry e = hit.get(k);
            double old = before.get(k);
            double now = e.outcome();
            VariantTotals t = totals(e);
            boolean first = Double.isNaN(old);
            put(e, new VariantTotals(t.users(), t.exposures(), t.converted() + (first ? 1 : 0), t.ratings() + 1,
                    t.sum() + now - (first ? 0 : old), t.sumSq() + now * now - (first ? 0 : old * old)));
            outcomes.increment();
        }
    }

    private static String key(UserExposures.Entry e) {
        return e.experiment() + "|" + e.variant();
    }

    private VariantTotals totals(UserExposures.Entry e) {
        byte[] b = totals.get(key(e));
        return b == null ? VariantTotals.ZERO : VariantTotals.decode(b);
    }

    private void put(UserExposures.Entry e, VariantTotals t) {
        String k = key(e);
        totals.put(k, t.encode());
        changed.add(k);
    }

    /** The changed totals of this task to topic experiment-totals, keyed experiment|variant|partition. */
    private void publish() {
        for (String k : changed) {
            byte[] v = totals.get(k);
            int bar = k.indexOf('|');
            ctx.forward(new Record<>(ExperimentBook.totalsKey(k.substring(0, bar), k.substring(bar + 1), partition),
                    v, System.currentTimeMillis()), SINK);
        }
        changed.clear();
    }

}
