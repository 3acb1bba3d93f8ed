package io.foldin.stream.prequential;

import io.foldin.data.RatingLog;
import io.foldin.eval.ImplicitPrequential;
import io.foldin.metrics.Metrics;
import io.foldin.stream.kafka.EmbeddedKafka;
import io.foldin.stream.kafka.EmbeddedKafkaConfig;
import io.foldin.stream.kafka.Topics;
import io.foldin.stream.replay.ReplayConfig;
import io.foldin.stream.replay.ReplayReport;
import io.foldin.stream.replay.Replayer;
import io.foldin.stream.topology.FoldinStreams;
import io.foldin.stream.topology.StreamConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The implicit prequential of {@link ImplicitPrequential}, through the real topology on an embedded broker: the
 * positives (ratings at or above the threshold, in time order) are produced to {@code ratings}, where the live
 * implicit model counts each as a weight-1 interaction; the warm-up part is folded in, then one sweep (the
 * explicit one, with the implicit sweep in its window, {@code implicit.iterations}), then the later positives
 * are produced (paced) and the user side's rank of each new pair before it was folded in is read back from topic
 * {@code implicit-predictions} (key userId int32, value itemId int32 + rank int32, rank 1 = first). Hit rate@10
 * is the share of those ranks ≤ 10, as offline.
 */
public final class ImplicitKafkaPrequential {
    private static final Duration IDLE = Duration.ofSeconds(120);

    /**
     * @param model           the offline options (params, threshold, warm-up, iterations, threads)
     * @param eventsPerSecond pace of the streamed positives; 0 = as fast as produced
     */
    public record Options(ImplicitPrequential.Options model, double eventsPerSecond, Path workDir) {
    }

    /**
     * @param warmupInteractions   positives in the warm-up
     * @param streamedInteractions positives streamed after it
     * @param scored               new pairs among them (the ranked ones)
     * @param hitRateFoldIn        share of scored ranks ≤ 10
     * @param eventsPerSecond      streamed positives over the time from the first produced to the last rank read
     */
    public record Result(int warmupInteractions, int streamedInteractions, int scored, double hitRateFoldIn,
                         double warmupSeconds, double eventsPerSecond) {
    }

    private ImplicitKafkaPrequential() {
    }

    public static Result run(RatingLog ratings, Options o, ImplicitPrequential.Listener listener) throws Exception {
        ImplicitPrequential.Options m = o.model();
        RatingLog log = positives(ratings, m.threshold());
        int n = log.size();
        int[] order = log.timeOrder();
        int warm = (int) Math.floor(n * m.warmup());
        if (warm == 0 || warm == n) {
            throw new IllegalArgumentException("warm-up of " + warm + " of " + n + " positives leaves nothing to learn or stream");
        }
        int[] newPairs = newPairs(log, order, warm);
        Path dir = Files.createTempDirectory(o.workDir(), "foldin-implicit-prequential");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(new EmbeddedKafkaConfig(dir.resolve("kafka"), 0, true))) {
            String brokers = kafka.bootstrapServers();
            StreamConfig config = StreamConfig.defaults(brokers, dir.resolve("state"))
                    .withApplicationId("foldin-implicit-prequential").withEmitPredictions(true)
                    .withImplicit(new StreamConfig.Implicit(true, m.params(), m.threshold(), m.iterations()))
                    .withSweep(new StreamConfig.Sweep(0, 0, m.iterations(), 0.0, m.threads(), true, 0));
            FoldinStreams s = FoldinStreams.start(config, Topics.singleNode(), new Metrics());
            try (KafkaConsumer<byte[], byte[]> ranks = reader(brokers)) {
                if (!s.awaitRunning(Duration.ofMinutes(2))) {
                    throw new IllegalStateException("the streams instance did not start");
                }
                long t0 = System.nanoTime();
                produce(brokers, log, Arrays.copyOfRange(order, 0, warm), 0);
                // every new pair of the warm-up is ranked as the user side takes it: all read = all taken
                if (read(ranks, newPairs[0], (u, i, r) -> { }) < newPairs[0]) {
                    throw new IllegalStateException("the warm-up's ranks did not all arrive");
                }
                s.sweeps().requestSweep(m.iterations(), false).get(30, TimeUnit.MINUTES);
                awaitInstalled(s);
                double warmupSeconds = (System.nanoTime() - t0) / 1e9;

                int streamed = n - warm;
                int scored = newPairs[1];
                long t1 = System.nanoTime();
                CompletableFuture<ReplayReport> rest = CompletableFuture.supplyAsync(() ->
                        produce(brokers, log, Arrays.copyOfRange(order, warm, n), o.eventsPerSecond()));
                int[] hits = new int[1];
                int[] done = new int[1];
                int every = Math.max(1, scored / 20);
                int got = read(ranks, scored, (u, i, rank) -> {
                    hits[0] += rank <= ImplicitPrequential.K ? 1 : 0;
                    if (listener != null && ++done[0] % every == 0) {
                        listener.onProgress(done[0], scored, hits[0] / (double) done[0], Double.NaN);
                    }
                });
                double streamSeconds = (System.nanoTime() - t1) / 1e9;
                rest.get(IDLE.toSeconds(), TimeUnit.SECONDS);
                if (got < scored) {
                    throw new IllegalStateException(got + " of " + scored + " ranks of the streamed positives arrived");
                }
                return new Result(warm, streamed, scored, hits[0] / (double) scored, warmupSeconds,
                        streamed / streamSeconds);
            } finally {
                s.close();
                s.streams().cleanUp();
            }
        } finally {
            deleteQuietly(dir);
        }
    }

    /**
     * Until the sweep's implicit factors have reached this instance's tables: the item Gram stops changing for a
     * second (the sweep publishes every vector at once; the global stores apply them in the background).
     */
    private static void awaitInstalled(FoldinStreams s) throws InterruptedException {
        double[] last = s.live().implicitItems().gram();
        long stable = System.nanoTime();
        long deadline = stable + IDLE.toNanos();
        while (System.nanoTime() - stable < 1_000_000_000L) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the implicit item table did not settle after the sweep");
            }
            Thread.sleep(100);
            double[] g = s.live().implicitItems().gram();
            if (!Arrays.equals(g, last)) {
                last = g;
                stable = System.nanoTime();
            }
        }
    }

    /** The ratings at or above the threshold, their values kept (the stream counts each as weight 1). */
    static RatingLog positives(RatingLog all, double threshold) {
        RatingLog out = new RatingLog(Math.max(16, all.size() / 2));
        for (int k = 0; k < all.size(); k++) {
            if (all.rating(k) >= threshold) {
                out.add(all.users().idOf(all.user(k)), all.items().idOf(all.item(k)), all.rating(k), all.time(k));
            }
        }
        return out;
    }

    /** Pairs first seen in the warm-up, and pairs first seen after it: the ranks the stream emits for each part. */
    static int[] newPairs(RatingLog log, int[] order, int warm) {
        Set<Long> seen = new HashSet<>();
        int[] counts = new int[2];
        for (int j = 0; j < order.length; j++) {
            long key = ((long) log.user(order[j]) << 32) | (log.item(order[j]) & 0xFFFF_FFFFL);
            if (seen.add(key)) {
                counts[j < warm ? 0 : 1]++;
            }
        }
        return counts;
    }

    private interface Sink {
        void accept(int userId, int itemId, int rank);
    }

    private static KafkaConsumer<byte[], byte[]> reader(String brokers) {
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = new ArrayList<>();
        c.partitionsFor(Topics.IMPLICIT_PREDICTIONS).forEach(p -> parts.add(new TopicPartition(p.topic(), p.partition())));
        c.assign(parts);
        c.seekToBeginning(parts);
        return c;
    }

    /** Hands up to {@code n} ranks to the sink; returns how many arrived before {@link #IDLE} passed without one. */
    private static int read(KafkaConsumer<byte[], byte[]> c, int n, Sink sink) {
        int got = 0;
        long deadline = System.nanoTime() + IDLE.toNanos();
        while (got < n && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                ByteBuffer v = ByteBuffer.wrap(r.value());
                sink.accept(ByteBuffer.wrap(r.key()).getInt(), v.getInt(), v.getInt());
                got++;
                deadline = System.nanoTime() + IDLE.toNanos();
            }
        }
        return got;
    }

    private static ReplayReport produce(String brokers, RatingLog log, int[] rows, double eventsPerSecond) {
        ReplayReport r = new Replayer(new ReplayConfig(brokers, Topics.RATINGS, eventsPerSecond, 0, Map.of()))
                .run(log, rows, Replayer.Listener.NONE);
        if (r.delivered() != rows.length) {
            throw new IllegalStateException(r.errors() + " ratings not delivered: " + r.firstError());
        }
        return r;
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            // a temporary directory left behind is not worth failing the benchmark for
        }
    }
}
