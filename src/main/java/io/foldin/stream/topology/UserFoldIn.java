package io.foldin.stream.topology;

import io.foldin.metrics.Histogram;
import io.foldin.model.AugmentedSolver;
import io.foldin.model.ExplicitPrediction;
import io.foldin.stream.event.ParseResult;
import io.foldin.stream.event.RatingEvent;
import io.foldin.stream.event.RatingEventParser;
import io.foldin.stream.event.Rejection;
import io.foldin.stream.event.UserKey;
import io.foldin.stream.kafka.Topics;
import io.foldin.stream.live.LiveModel;
import io.foldin.stream.sweep.SweepCoordinator;
import io.foldin.stream.sweep.SweepOutcome;
import io.foldin.stream.sweep.SweepResult;
import io.foldin.stream.sweep.Sweeper;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;

import java.time.Duration;

/**
 * User side of the fold-in. For each rating event on {@code ratings}: parse it (rejections go to
 * the dead-letter queue), send it on to its user's owner partition if it is not there ({@link Misplaced};
 * it comes back through {@code ratings-rekeyed} to the owner's instance of this processor), record it in {@code user-ratings}, update the user's statistics with the
 * item's current {@code y_i = [V_i; 1]} and target {@code x = r − μ − b_i} (a re-rate moves only
 * the target, a delete subtracts), re-solve {@code [U_u; b_u]}, publish it, and send the item side
 * the new {@code y_u} (bundled per item partition in the {@link Outbox}, sent every few
 * milliseconds). Also where sweeps start (punctuation) and are installed for its users.
 */
final class UserFoldIn implements Processor<byte[], byte[], byte[], byte[]>, SweepCoordinator.UserTask {
    private final FoldinTopology.Context env;
    private final LiveModel live;
    private final SweepCoordinator sweeps;
    private final RatingEventParser parser = new RatingEventParser();
    private final AugmentedSolver solver;
    private final int d;
    private final float[] itemY;
    private final float[] mean;
    private final double[] tmp;
    private final Histogram latency;
    private final java.util.concurrent.atomic.LongAdder events;
    /** By {@link Misplaced#ordinal()}. */
    private final java.util.concurrent.atomic.LongAdder[] rekeyed;
    private ProcessorContext<byte[], byte[]> ctx;
    private RatingsStore ratings;
    private StatsStore stats;
    private Outbox outbox;
    private String task;
    private int partition;
    /** Users to publish; true: changed since their last solve. */
    private final Pending<Boolean> pending = new Pending<>();
    private final Histogram age;
    private final Histogram received;
    /** This task's stored ratings for the early first sweep ({@link SweepCoordinator#openStoredCount}). */
    private java.util.concurrent.atomic.AtomicLong stored;

    UserFoldIn(FoldinTopology.Context env) {
        this.env = env;
        this.live = env.live();
        this.sweeps = env.sweeps();
        this.d = env.config().params().factors();
        this.solver = new AugmentedSolver(env.config().params());
        this.itemY = new float[d + 1];
        this.mean = new float[d];
        this.tmp = new double[d + 1];
        this.latency = live.metrics().histogram("foldin_fold_in_seconds", "side=\"user\"",
                "Time to fold one event into an entity's statistics and re-solve it");
        this.age = live.metrics().histogram("foldin_user_factor_age_seconds",
                "Time from a rating's produce timestamp to its user factor being re-solved in the store");
        this.received = live.metrics().histogram("foldin_path_age_seconds", "stage=\"rating_received\"",
                "Time from a rating's produce timestamp to each stage on its way: received by the user fold-in, "
                        + "its item update received by the item fold-in, the item factor sent (stamped with the "
                        + "oldest rating it folds in)");
        this.rekeyed = Misplaced.counters(live.metrics());
        this.events = live.metrics().counter("foldin_events_total", "side=\"user\"",
                "Events folded in, by side (user: valid rating events; item: item updates)");
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.ctx = context;
        this.ratings = context.getStateStore(Stores.USER_RATINGS);
        this.stats = context.getStateStore(Stores.USER_STATS);
        this.outbox = context.getStateStore(Stores.ITEM_UPDATE_OUTBOX);
        outbox.attach(context, env.partitions(), this::sendBundle);

        this.task = "user-" + context.taskId();
        this.partition = context.taskId().partition();
        live.rated().open(partition);
        sweeps.registerUserTask(task, this);
        stored = sweeps.openStoredCount(task,
                sweeps.countsStoredRatings() ? countStored(sweeps.firstSweepAfterRatings()) : 0);
        context.schedule(Duration.ofMillis(env.config().publishIntervalMs()), PunctuationType.WALL_CLOCK_TIME,
                this::punctuate);
        context.schedule(Duration.ofMillis(env.outboxFlushMs()), PunctuationType.WALL_CLOCK_TIME,
                now -> outbox.sendAll());
    }

    @Override
    public void process(Record<byte[], byte[]> rec) {
        long stamp = sweeps.enter();
        try {
            install();
            foldIn(rec);
        } finally {
            sweeps.exit(stamp);
        }
    }

    private void foldIn(Record<byte[], byte[]> rec) {
        RecordMetadata meta = ctx.recordMetadata().orElse(null);
        // The key only routes: the body's userId decides whose event it is (see Misplaced), so it is not
        // passed to the parser, which would reject a key that differs.
        ParseResult parsed = parser.parse(null, rec.value(), rec.timestamp());
        if (parsed instanceof Rejection rejection) {
            received.observeSince(rec.timestamp());
            env.reject(ctx, rec, meta, rejection);
            return;
        }
        RatingEvent e = (RatingEvent) parsed;
        if (meta == null || !Topics.RATINGS_REKEYED.equals(meta.topic())) {
            // Records of ratings-rekeyed are on their owner by construction (equal partition counts are
            // checked at start-up); checking them again could only ever loop.
            Misplaced m = Misplaced.check(rec.key(), e.userId(), partition, env.partitions());
            if (m != null) {
                rekeyed[m.ordinal()].increment();
                // Same value, timestamp and headers: the owner parses it to the same event.
                ctx.forward(rec.withKey(UserKey.of(e.userId())), FoldinTopology.REKEYED_SINK);
                return;
            }
        }
        received.observeSince(rec.timestamp());
        long t0 = System.nanoTime();
        // Nearly every event is a new pair, and a store read that misses was half of this method's time
        // (RocksDB searches every memtable and level, and rocksdbjni turns the miss into a C++ exception).
        // The user's rated items, read from the store once and then kept current by this method, answer it.
        byte[] old = live.rated().get(partition, e.userId(), this::storedItems).contains(e.itemId())
                ? ratings.get(e.userId(), e.itemId()) : null;
        float previous = old == null ? Float.NaN : RatingKey.rating(old);
        ItemUpdate.Kind kind;
        if (e.isDelete()) {
            if (old == null) {
                env.counter("foldin_deletes_of_unknown_ratings_total",
                        "Deletes of a rating that was not stored (idempotent no-ops)").increment();
                return;
            }
            ratings.delete(e.userId(), e.itemId());
            live.rated().removed(partition, e.userId(), e.itemId());
            kind = ItemUpdate.Kind.DELETE;
            stored.decrementAndGet();
        } else {
            ratings.put(e.userId(), e.itemId(), RatingKey.value(e.rating(), e.timestamp()));
            live.rated().added(partition, e.userId(), e.itemId());
            kind = old == null ? ItemUpdate.Kind.ADD : ItemUpdate.Kind.RERATE;
            if (old == null) {
                stored.incrementAndGet();
            }
        }
        EntityState s = stats.edit(e.userId());
        live.itemFactor(e.itemId(), itemY, mean);
        double mu = live.epoch().mu();
        if (env.config().emitPredictions() && kind != ItemUpdate.Kind.DELETE) {
            env.prediction(ctx, rec, e, predict(s.factor(), s.count() > 0, mu));
        }
        // A user solved earlier in this publish interval is solved again at its publication: a replayed
        // session's burst of ratings then costs two solves, not one per rating. Its item updates meanwhile
        // carry the factor of that earlier solve. Per-event predictions need every solve.
        boolean defer = !env.config().emitPredictions() && pending.contains(e.userId());
        synchronized (s) {
            s.stats().change(itemY, 0, e.rating(), previous, mu + itemY[d], tmp);
            if (!defer) {
                env.solve(solver, s.stats(), null, s.factor(), "user", e.userId());
            }
        }
        outbox.add(e.itemId(), rec.timestamp(),
                new ItemUpdate(kind, e.userId(), e.rating(), previous, live.epoch().epoch(), s.factor()));
        pending.mark(e.userId(), rec.timestamp(), defer);
        sweeps.onEvent();
        if (!defer) {
            age.observeSince(rec.timestamp());
        }
        events.increment();
        latency.observeNanos(System.nanoTime() - t0);
    }

    private void sendBundle(int itemPartition, byte[] bundle, long timestamp) {
        ctx.forward(new Record<>(FoldinTopology.intKey(itemPartition), bundle, timestamp),
                FoldinTopology.ITEM_UPDATES_SINK);
    }

    /** Ratings in this task's store, counted up to {@code limit} (all the early first sweep needs to know). */
    private long countStored(long limit) {
        long n = 0;
        try (KeyValueIterator<Bytes, byte[]> it = ratings.all()) {
            while (n < limit && it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    private int[] storedItems(int userId) {
        return RatingKey.ratedItems(ratings, userId);
    }

    private float predict(float[] user, boolean knownUser, double mu) {
        return (float) ExplicitPrediction.predict(mu, knownUser ? user : null, 0, itemY, 0, d,
                RatingEvent.MIN_RATING, RatingEvent.MAX_RATING);
    }

    private void punctuate(long now) {
        long stamp = sweeps.enter();
        try {
            install();
            pending.drain(this::publish);
            ratings.write();
            stats.writeIdle(env.idleTicks());
        } finally {
            sweeps.exit(stamp);
        }
        SweepResult result = sweeps.runIfDue(now);
        if (result != null) {
            env.publishSweep(ctx, result);
            stamp = sweeps.enter();
            try {
                install();
            } finally {
                sweeps.exit(stamp);
            }
        }
    }

    /** Solves the user if events were deferred, and publishes its factor, stamped with its oldest unpublished event. */
    private void publish(int user, long timestamp, Boolean unsolved) {
        EntityState s = unsolved ? stats.editExisting(user) : stats.find(user);
        if (s == null) {
            return;
        }
        if (unsolved) {
            synchronized (s) {
                env.solve(solver, s.stats(), null, s.factor(), "user", user);
            }
            age.observeSince(timestamp);
        }
        ctx.forward(new Record<>(FoldinTopology.intKey(user),
                new FactorRecord(live.epoch().epoch(), (int) s.count(), s.factor()).encode(), timestamp),
                FoldinTopology.USER_FACTORS_SINK);
    }

    /**
     * Rebuilds this task's users' statistics from a finished sweep, once per sweep: from the sweep's own rating
     * matrix when it ran here, else from this task's stored ratings against the sweep's item factors (the same
     * sums, docs/design.md §2.9).
     */
    private void install() {
        SweepOutcome r = sweeps.pendingFor(task);
        if (r == null) {
            return;
        }
        int epoch = r.epoch().epoch();
        double mu = r.epoch().mu();
        long now = System.currentTimeMillis();
        SweepResult local = r instanceof SweepResult l ? l : null;
        int last = -1;
        EntityState s = null;
        try (KeyValueIterator<Bytes, byte[]> it = ratings.all()) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                byte[] k = kv.key.get();
                int user = RatingKey.user(k);
                if (user != last) {
                    if (s != null) {
                        installUser(r, last, s, epoch, now);
                    }
                    last = user;
                    s = new EntityState(d);
                    if (local != null && !local.userStats(user, s.stats(), s.factor(), tmp)) {
                        s = null;
                    }
                }
                if (local != null || s == null) {
                    continue;
                }
                int item = RatingKey.item(k);
                if (!r.itemFactor(item, itemY)) {
                    live.itemFactor(item, itemY, mean);
                }
                s.stats().add(itemY, 0, RatingKey.rating(kv.value) - mu - itemY[d], tmp);
            }
            if (s != null) {
                installUser(r, last, s, epoch, now);
            }
        }
        pending.clear();
        sweeps.installed(task);
        ctx.commit();
    }

    /** Stores a user's rebuilt state with the sweep's factor (solved here if the sweep has none) and publishes it. */
    private void installUser(SweepOutcome r, int user, EntityState s, int epoch, long now) {
        if (!(r instanceof SweepResult) && !r.userFactor(user, s.factor())) {
            env.solve(solver, s.stats(), null, s.factor(), "user", user);
        }
        stats.put(user, s);
        ctx.forward(new Record<>(FoldinTopology.intKey(user),
                new FactorRecord(epoch, (int) s.count(), s.factor()).encode(), now),
                FoldinTopology.USER_FACTORS_SINK);
    }

    @Override
    public int partition() {
        return partition;
    }

    @Override
    public void collect(Sweeper.RatingSink collector) {
        try (KeyValueIterator<Bytes, byte[]> it = ratings.all()) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                byte[] k = kv.key.get();
                collector.add(RatingKey.user(k), RatingKey.item(k), RatingKey.rating(kv.value),
                        RatingKey.timestamp(kv.value));
            }
        }
    }

    @Override
    public boolean userFactor(int userId, float[] out) {
        EntityState s = stats.find(userId);
        if (s == null) {
            return false;
        }
        System.arraycopy(s.factor(), 0, out, 0, d + 1);
        return true;
    }

    @Override
    public void close() {
        sweeps.unregister(task);
        live.rated().close(partition);
    }
}
