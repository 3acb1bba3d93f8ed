package io.foldin.stream.prequential;

import io.foldin.data.RatingLog;
import io.foldin.eval.Prequential;
import io.foldin.metrics.Metric;
import io.foldin.metrics.Metrics;
import io.foldin.stream.kafka.EmbeddedKafka;
import io.foldin.stream.kafka.EmbeddedKafkaConfig;
import io.foldin.stream.kafka.Topics;
import io.foldin.stream.live.ModelEpoch;
import io.foldin.stream.replay.ReplayConfig;
import io.foldin.stream.replay.ReplayReport;
import io.foldin.stream.replay.Replayer;
import io.foldin.stream.topology.FoldinStreams;
import io.foldin.stream.topology.StreamConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The prequential benchmark of {@link Prequential}, through the real topology on an embedded broker:
 * the warm-up events are produced to {@code ratings} and folded in, then one cold sweep of
 * {@code iterations} (the offline warm-up training), then the later events are produced (paced) and
 * the user side's predictions, each made before its event was folded in, are read back from topic
 * {@code predictions}. The static model is the swept warm-up model. Fold-in with sweeps is a second
 * run, on a fresh broker, with the stream's own periodic sweeps ({@code sweep.every.events}).
 */
public final class KafkaPrequential {
    private static final Duration IDLE = Duration.ofSeconds(120);

    /**
     * @param eventsPerSecond pace of the streamed (post-warm-up) events; 0 = as fast as produced
     * @param guarantee       {@link StreamConfig#AT_LEAST_ONCE} or {@link StreamConfig#EXACTLY_ONCE_V2}
     * @param workDir         parent of the broker's and the state's temporary directories
     */
    public record Options(Prequential.Options model, double eventsPerSecond, String guarantee, Path workDir) {
    }

    /**
     * @param figures         as offline; {@code foldInSeconds} is the time the processors spent folding in
     *                        (both sides), {@code warmupSeconds} from the first warm-up event to the end of its sweep
     * @param eventsPerSecond streamed events over the time from the first produced to the last prediction read
     */
    public record Result(Prequential.Result figures, double eventsPerSecond) {
    }

    private record Run(double rmseFoldIn, double rmseStatic, int sweeps, double warmupSeconds, double foldInSeconds,
                       double sweepSeconds, double streamSeconds) {
    }

    private KafkaPrequential() {
    }

    public static Result run(RatingLog log, Options o, Prequential.Listener listener) throws Exception {
        int n = log.size();
        int warm = (int) Math.floor(n * o.model().warmup());
        if (warm == 0 || warm == n) {
            throw new IllegalArgumentException("warm-up of " + warm + " of " + n + " ratings leaves nothing to learn or stream");
        }
        int[] order = log.timeOrder();
        Run plain = stream(log, order, warm, o, false, listener);
        Run swept = o.model().sweepEvery() > 0 ? stream(log, order, warm, o, true, null) : plain;
        Prequential.Result r = new Prequential.Result(warm, n - warm, rerates(log, order, warm), plain.rmseFoldIn(),
                plain.rmseStatic(), swept.rmseFoldIn(), swept.sweeps(), plain.warmupSeconds(), plain.foldInSeconds(),
                swept.sweepSeconds());
        return new Result(r, (n - warm) / plain.streamSeconds());
    }

    /** One run on a fresh broker; with {@code sweeping}, the stream sweeps every {@code sweepEvery} events. */
    private static Run stream(RatingLog log, int[] order, int warm, Options o, boolean sweeping,
                              Prequential.Listener listener) throws Exception {
        Prequential.Options m = o.model();
        Path dir = Files.createTempDirectory(o.workDir(), "foldin-prequential");
        Metrics metrics = new Metrics();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(new EmbeddedKafkaConfig(dir.resolve("kafka"), 0, true))) {
            String brokers = kafka.bootstrapServers();
            StreamConfig config = StreamConfig.defaults(brokers, dir.resolve("state"))
                    .withApplicationId("foldin-prequential").withParams(m.params()).withGuarantee(o.guarantee())
                    .withEmitPredictions(true).withSweep(new StreamConfig.Sweep(sweeping ? m.sweepEvery() : 0, 0,
                            m.sweepIterations(), 0.0, m.threads(), true, 0));
            FoldinStreams s = FoldinStreams.start(config, Topics.singleNode(), metrics);
            try (PredictionReader predictions = new PredictionReader(brokers)) {
                if (!s.awaitRunning(Duration.ofMinutes(2))) {
                    throw new IllegalStateException("the streams instance did not start");
                }
                long t0 = System.nanoTime();
                produce(brokers, log, Arrays.copyOfRange(order, 0, warm), 0);
                awaitFoldedIn(metrics, warm);
                ModelEpoch epoch = s.sweeps().requestSweep(m.iterations(), false).get(30, TimeUnit.MINUTES);
                double warmupSeconds = (System.nanoTime() - t0) / 1e9;
                ModelSnapshot fixed = ModelSnapshot.of(s);
                if (!predictions.read(warm, IDLE, (u, i, r, p) -> { })) {
                    throw new IllegalStateException("the warm-up's predictions did not all arrive");
                }
                double foldIn0 = foldInSeconds(metrics);
                double sweep0 = metrics.histogram(Metric.SWEEP_SECONDS).sum();

                int streamed = log.size() - warm;
                long t1 = System.nanoTime();
                CompletableFuture<ReplayReport> rest = CompletableFuture.supplyAsync(() ->
                        produce(brokers, log, Arrays.copyOfRange(order, warm, order.length), o.eventsPerSecond()));
                double[] se = new double[2];
                int[] done = new int[1];
                int every = Math.max(1, streamed / 20);
                boolean complete = predictions.read(streamed, IDLE, (u, i, r, p) -> {
                    se[0] += sq(r - p);
                    se[1] += sq(r - fixed.predict(u, i));
                    if (listener != null && ++done[0] % every == 0) {
                        listener.onProgress(done[0], streamed, Math.sqrt(se[0] / done[0]), Math.sqrt(se[1] / done[0]));
                    }
                });
                double streamSeconds = (System.nanoTime() - t1) / 1e9;
                rest.get(IDLE.toSeconds(), TimeUnit.SECONDS);
                if (!complete) {
                    throw new IllegalStateException("predictions of the streamed events did not all arrive");
                }
                return new Run(Math.sqrt(se[0] / streamed), Math.sqrt(se[1] / streamed),
                        s.live().epoch().epoch() - epoch.epoch(), warmupSeconds, foldInSeconds(metrics) - foldIn0,
                        metrics.histogram(Metric.SWEEP_SECONDS).sum() - sweep0, streamSeconds);
            } finally {
                s.close();
                s.streams().cleanUp();
            }
        } finally {
            deleteQuietly(dir);
        }
    }

    private static ReplayReport produce(String brokers, RatingLog log, int[] rows, double eventsPerSecond) {
        ReplayReport r = new Replayer(new ReplayConfig(brokers, Topics.RATINGS, eventsPerSecond, 0, Map.of()))
                .run(log, rows, Replayer.Listener.NONE);
        if (r.delivered() != rows.length) {
            throw new IllegalStateException(r.errors() + " ratings not delivered: " + r.firstError());
        }
        return r;
    }

    /**
     * Waits until both sides have taken every warm-up event: the user side folded it in, the item side
     * folded it in or skipped it as already counted by a sweep.
     */
    private static void awaitFoldedIn(Metrics metrics, long events) throws InterruptedException {
        var user = metrics.counter(Metric.EVENTS, "user");
        var item = metrics.counter(Metric.EVENTS, "item");
        long deadline = System.nanoTime() + IDLE.toNanos();
        while (user.sum() < events || item.sum() + metrics.total(Metric.ITEM_UPDATES_SUPERSEDED) < events) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("fold-in stalled at " + user.sum() + " user and " + item.sum()
                        + " item events of " + events);
            }
            Thread.sleep(50);
        }
    }

    private static double foldInSeconds(Metrics metrics) {
        return metrics.histogram(Metric.FOLD_IN_SECONDS, "user").sum()
                + metrics.histogram(Metric.FOLD_IN_SECONDS, "item").sum();
    }

    /** Streamed events whose (user, item) pair was rated before, as offline. */
    private static int rerates(RatingLog log, int[] order, int warm) {
        Set<Long> seen = new HashSet<>();
        int rerates = 0;
        for (int j = 0; j < order.length; j++) {
            long key = ((long) log.user(order[j]) << 32) | (log.item(order[j]) & 0xFFFF_FFFFL);
            if (!seen.add(key) && j >= warm) {
                rerates++;
            }
        }
        return rerates;
    }

    private static double sq(double x) {
        return x * x;
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is not worth failing the benchmark for
        }
    }
}
