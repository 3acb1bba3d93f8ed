package io.foldin.stream.topology;

import io.foldin.model.AlsParams;
import io.foldin.model.ImplicitParams;
import io.foldin.model.ImplicitTrainer;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything the streaming job needs, immutable; built by the CLI from defaults, a properties file
 * and the environment, and passed by constructor.
 *
 * @param applicationId     Kafka Streams application id (consumer group, internal topic prefix)
 * @param bootstrapServers  Kafka brokers
 * @param stateDir          RocksDB state directory
 * @param params            model: D, λ, τ, γ
 * @param initialMean       μ of epoch 0 (before the first sweep); a sweep sets μ to the mean rating
 * @param guarantee         {@code at_least_once} or {@code exactly_once_v2}
 * @param commitIntervalMs  Streams commit interval; under exactly-once it bounds freshness
 * @param statsCacheEntries decoded user or item statistics each task keeps in memory between
 *                          commits ({@link StatsStore}); a changed entity is written once per commit
 * @param streamThreads     Streams threads; sweeps run only with one thread owning all partitions
 * @param sweep             when and how full sweeps run
 * @param emitPredictions   write each event's prediction made before its fold-in to
 *                          {@code predictions} (for the prequential benchmark)
 * @param applicationServer {@code host:port} of this instance's HTTP API, for interactive queries;
 *                          null when not serving
 * @param publishIntervalMs factor records are published at most once per key per interval (the
 *                          latest factor, stamped with the oldest unpublished event's time), and
 *                          the item side re-solves once per item per interval
 * @param standbyReplicas   Streams' {@code num.standby.replicas}: warm copies of each task's stores on other
 *                          instances, so that a dead instance's tasks move without a changelog restore
 * @param implicit          the live implicit-ALS model ({@code implicit.*}, docs/design.md §1.9)
 */
public record StreamConfig(String applicationId, String bootstrapServers, Path stateDir, AlsParams params,
                           double initialMean, String guarantee, int commitIntervalMs, int statsCacheEntries,
                           int streamThreads, Sweep sweep, boolean emitPredictions, String applicationServer,
                           int publishIntervalMs, int standbyReplicas, Implicit implicit) {

    public static final String AT_LEAST_ONCE = "at_least_once";
    public static final String EXACTLY_ONCE_V2 = "exactly_once_v2";

    /**
     * @param everyEvents run a sweep after this many events since the last one (0: never by count)
     * @param everyMs     run a sweep this long after the last one if any event came in (0: never by time)
     * @param iterations  ALS iterations per sweep
     * @param holdout     fraction of ratings (chosen by a hash of user and item) left out of the sweep's
     *                    training and scored after it, the {@code holdout_rmse} metric; 0 for none
     * @param threads     worker threads of the sweep
     * @param warm        start from the current factors instead of the seeded start; a cold sweep is a function
     *                    of the stored ratings alone (the same model after a crash, a restart or on a replica)
     * @param firstAfterRatings run the first sweep (model epoch 0 to 1) as soon as this many ratings are
     *                    stored, not only on the schedule above (0: only on the schedule)
     */
    public record Sweep(long everyEvents, long everyMs, int iterations, double holdout, int threads, boolean warm,
                        long firstAfterRatings, long timeoutMs) {
        /** Default of {@code sweep.timeout.ms}. */
        public static final long DEFAULT_TIMEOUT_MS = 30_000;

        public Sweep {
            if (everyEvents < 0 || everyMs < 0 || iterations < 1 || !(holdout >= 0 && holdout < 0.5) || threads < 1
                    || firstAfterRatings < 0 || timeoutMs < 1) {
                throw new IllegalArgumentException("bad sweep settings " + everyEvents + "/" + everyMs + "/"
                        + iterations + "/" + holdout + "/" + threads + "/" + firstAfterRatings);
            }
        }

        public Sweep(long everyEvents, long everyMs, int iterations, double holdout, int threads, boolean warm,
                     long firstAfterRatings) {
            this(everyEvents, everyMs, iterations, holdout, threads, warm, firstAfterRatings, DEFAULT_TIMEOUT_MS);
        }

        /** Cold (reproducible) sweeps on the schedule only, no early first sweep. */
        public Sweep(long everyEvents, long everyMs, int iterations, double holdout, int threads) {
            this(everyEvents, everyMs, iterations, holdout, threads, false, 0);
        }

        public static Sweep never() {
            return new Sweep(0, 0, 5, 0.0, 1);
        }
    }

    /**
     * The live implicit-ALS model (docs/design.md §1.9): interactions from topic {@code interactions}, and
     * ratings at or above {@code threshold} as weight-1 interactions.
     *
     * @param enabled    whether the topology folds interactions in at all ({@code implicit.enabled})
     * @param params     D, α, λ ({@code implicit.factors}, {@code implicit.alpha}, {@code implicit.lambda})
     * @param threshold  an explicit rating at or above it counts as an interaction of weight 1
     * @param iterations iALS sweeps per stream sweep ({@code implicit.iterations})
     */
    public record Implicit(boolean enabled, ImplicitParams params, double threshold, int iterations) {
        /**
         * Off by default: on, it cut {@code stream.sh}'s throughput to a third (load-tests/RESULTS.md, "Live implicit
         * ALS in the stream, cost per event"), a price a catalogue with explicit ratings only should not pay. While
         * off, {@code interactions} is not read, so its events wait in Kafka for the day it is turned on. When on: the
         * offline defaults ({@link ImplicitParams#DEFAULT}, {@link ImplicitTrainer#DEFAULT_SWEEPS}), threshold 4.
         */
        public static final Implicit DEFAULT = new Implicit(false, ImplicitParams.DEFAULT, 4.0,
                ImplicitTrainer.DEFAULT_SWEEPS);

        public Implicit {
            Objects.requireNonNull(params, "params");
            if (!Double.isFinite(threshold) || iterations < 1) {
                throw new IllegalArgumentException("implicit.threshold must be finite and implicit.iterations >= 1, got "
                        + threshold + ", " + iterations);
            }
        }

        /** The weight a rating adds to its pair: 1 at or above the threshold, else 0 (a delete is NaN: 0). */
        public float ratingWeight(float rating) {
            return rating >= threshold ? 1f : 0f;
        }
    }

    public StreamConfig {
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(sweep, "sweep");
        if (!AT_LEAST_ONCE.equals(guarantee) && !EXACTLY_ONCE_V2.equals(guarantee)) {
            throw new IllegalArgumentException("processing guarantee must be " + AT_LEAST_ONCE + " or "
                    + EXACTLY_ONCE_V2 + ", got " + guarantee);
        }
        if (commitIntervalMs < 1 || statsCacheEntries < 1 || streamThreads < 1 || publishIntervalMs < 1) {
            throw new IllegalArgumentException("commit interval, cache size and threads must be positive");
        }
        Objects.requireNonNull(implicit, "implicit");
        if (standbyReplicas < 0) {
            throw new IllegalArgumentException("standby replicas must be >= 0, got " + standbyReplicas);
        }
    }

    /** Without standby replicas. */
    public StreamConfig(String applicationId, String bootstrapServers, Path stateDir, AlsParams params,
                        double initialMean, String guarantee, int commitIntervalMs, int statsCacheEntries,
                        int streamThreads, Sweep sweep, boolean emitPredictions, String applicationServer,
                        int publishIntervalMs) {
        this(applicationId, bootstrapServers, stateDir, params, initialMean, guarantee, commitIntervalMs,
                statsCacheEntries, streamThreads, sweep, emitPredictions, applicationServer, publishIntervalMs, 0,
                Implicit.DEFAULT);
    }

    /** Defaults for a local run against {@code bootstrapServers}. */
    public static StreamConfig defaults(String bootstrapServers, Path stateDir) {
        return new StreamConfig("foldin", bootstrapServers, stateDir, AlsParams.DEFAULT, 3.5, AT_LEAST_ONCE, 100,
                20_000, 1, new Sweep(0, 600_000, 10, 0.01, Runtime.getRuntime().availableProcessors(), false, 10_000),
                false, null, 50);
    }

    public StreamConfig withApplicationId(String id) {
        return new StreamConfig(id, bootstrapServers, stateDir, params, initialMean, guarantee, commitIntervalMs,
                statsCacheEntries, streamThreads, sweep, emitPredictions, applicationServer, publishIntervalMs, standbyReplicas, implicit);
    }

    public StreamConfig withBootstrapServers(String brokers) {
        return new StreamConfig(applicationId, brokers, stateDir, params, initialMean, guarantee, commitIntervalMs,
                statsCacheEntries, streamThreads, sweep, emitPredictions, applicationServer, publishIntervalMs, standbyReplicas, implicit);
    }

    public StreamConfig withParams(AlsParams p) {
        return new StreamConfig(applicationId, bootstrapServers, stateDir, p, initialMean, guarantee, commitIntervalMs,
                statsCacheEntries, streamThreads, sweep, emitPredictions, applicationServer, publishIntervalMs, standbyReplicas, implicit);
    }

    public StreamConfig withGuarantee(String g) {
        return new StreamConfig(applicationId, bootstrapServers, stateDir, params, initialMean, g, commitIntervalMs,
                statsCacheEntries, streamThreads, sweep, emitPredictions, applicationServer, publishIntervalMs, standbyReplicas, implicit);
    }

    public StreamConfig withCommitIntervalMs(int ms) {
        return new StreamConfig(applicationId, bootstrapServers, stateDir, params, initialMean, guarantee, ms,
                statsCacheEntries, streamThreads, sweep, emitPredictions, applicationServer, publishIntervalMs, standbyReplicas, implicit);
    }

    public StreamConfig withSweep(Sweep s) {
        return new StreamConfig(applicationId, bootstrapServers, stateDir, params, initialMean, guarantee,
                commitIntervalMs, statsCacheEntries, streamThreads, s, emitPredictions, applicationServer, publishIntervalMs, standbyReplicas, implicit);
    }

    public StreamConfig withEmitPredictions(boolean emit) {
        return new StreamConfig(applicationId, bootstrapServers, stateDir, params, initialMean, guarantee,
                commitIntervalMs, statsCacheEntries, streamThreads, sweep, emit, applicationServer, publishIntervalMs, standbyReplicas, implicit);
    }

    public StreamConfig withApplicationServer(String hostPort) {
        return new StreamConfig(applicationId, bootstrapServers, stateDir, params, initialMean, guarantee,
                commitIntervalMs, statsCacheEntries, streamThreads, sweep, emitPredictions, hostPort, publishIntervalMs, standbyReplicas, implicit);
    }

    public StreamConfig withPublishIntervalMs(int ms) {
        return new StreamConfig(applicationId, bootstrapServers, stateDir, params, initialMean, guarantee,
                commitIntervalMs, statsCacheEntries, streamThreads, sweep, emitPredictions, applicationServer, ms, standbyReplicas, implicit);
    }

    public StreamConfig withStreamThreads(int threads) {
        return new StreamConfig(applicationId, bootstrapServers, stateDir, params, initialMean, guarantee,
                commitIntervalMs, statsCacheEntries, threads, sweep, emitPredictions, applicationServer, publishIntervalMs, standbyReplicas, implicit);
    }

    public StreamConfig withInitialMean(double mu) {
        return new StreamConfig(applicationId, bootstrapServers, stateDir, params, mu, guarantee,
                commitIntervalMs, statsCacheEntries, streamThreads, sweep, emitPredictions, applicationServer, publishIntervalMs, standbyReplicas, implicit);
    }

    public StreamConfig withStatsCacheEntries(int entries) {
        return new StreamConfig(applicationId, bootstrapServers, stateDir, params, initialMean, guarantee,
                commitIntervalMs, entries, streamThreads, sweep, emitPredictions, applicationServer, publishIntervalMs, standbyReplicas, implicit);
    }

    public StreamConfig withImplicit(Implicit i) {
        return new StreamConfig(applicationId, bootstrapServers, stateDir, params, initialMean, guarantee,
                commitIntervalMs, statsCacheEntries, streamThreads, sweep, emitPredictions, applicationServer,
                publishIntervalMs, standbyReplicas, i);
    }

    public StreamConfig withStandbyReplicas(int n) {
        return new StreamConfig(applicationId, bootstrapServers, stateDir, params, initialMean, guarantee,
                commitIntervalMs, statsCacheEntries, streamThreads, sweep, emitPredictions, applicationServer,
                publishIntervalMs, n, implicit);
    }
}
