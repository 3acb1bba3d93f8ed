package io.foldin.serve.http;

import io.foldin.data.RatingLog;
import io.foldin.model.AlsParams;
import io.foldin.serve.FoldinService;
import io.foldin.serve.SampleData;
import io.foldin.stream.event.UserKey;
import io.foldin.stream.kafka.EmbeddedKafka;
import io.foldin.stream.kafka.EmbeddedKafkaConfig;
import io.foldin.stream.live.ModelEpoch;
import io.foldin.stream.sweep.SweepResult;
import io.foldin.stream.sweep.Sweeper;
import io.foldin.stream.topology.StreamConfig;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sweeps across instances (docs/design.md §2.9): two and three {@code serve} instances of one application on one
 * real broker, the bundled sample streamed in. The early first sweep runs across them; a sweep requested on the
 * last instance (not the leader unless it holds partition 0) reaches the leader; its model is the one a single
 * instance would sweep from the same ratings, and every instance answers every user the same. Three instances run
 * under exactly-once, where the stopped user side holds open transactions through the sweep.
 */
class ScaleOutSweepTest {
    private static final Logger LOG = LoggerFactory.getLogger(ScaleOutSweepTest.class);
    private static final int ITERATIONS = 15;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} instances, {1}")
    @CsvSource({"2, at_least_once", "3, exactly_once_v2"})
    void aSweepRunsAcrossInstancesAndEqualsTheSingleInstanceSweep(int n, String guarantee) throws Exception {
        FoldinService[] services = new FoldinService[n];
        int[] ports = RunningService.freePorts(n);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(new EmbeddedKafkaConfig(dir.resolve("kafka"), 0, true))) {
            try {
                for (int k = 0; k < n; k++) {
                    services[k] = FoldinService.start(RunningService.config(dir, kafka.bootstrapServers(), ports[k],
                            Map.of("processing.guarantee", guarantee)));
                }
                // Every instance holds user partitions before anything is stored, so no task moves with state.
                RunningService.await(Duration.ofMinutes(2), () -> spread(services), "every instance to hold user tasks");
                int events = RunningService.produceSample(kafka.bootstrapServers(), Integer.MAX_VALUE);
                RunningService.awaitFoldedIn(events, services);
                RunningService.await(Duration.ofMinutes(3), () -> allAtLeast(services, 1),
                        "the early first sweep on every instance");
                for (FoldinService s : services) {
                    assertFalse(s.streams().sweeps().canSweep(), "no instance holds every partition");
                }
                LOG.info("first sweep across {} instances: epoch {}", n, services[0].streams().live().epoch().epoch());

                FoldinService asker = services[n - 1];
                ModelEpoch e = asker.streams().sweeps().requestSweep(ITERATIONS, false).get(3, TimeUnit.MINUTES);
                RunningService.await(Duration.ofMinutes(1), () -> allAtLeast(services, e.epoch()),
                        "every instance to install epoch " + e.epoch());
                assertEquals(events, e.sweep().ratings(), "the sweep counted every rating once");

                ModelEpoch single = singleInstanceSweep(services[0], e.epoch()).epoch();
                LOG.info("holdout RMSE across {} instances {} / single instance {}", n, e.sweep().holdoutRmse(),
                        single.sweep().holdoutRmse());
                assertEquals(single.sweep().holdoutRmse(), e.sweep().holdoutRmse(), 0.002);
                assertEquals(single.mu(), e.mu(), 1e-9);

                RunningService.await(Duration.ofMinutes(1), () -> mismatches(ports).isEmpty(),
                        "every instance to answer every user the same");
            } finally {
                for (FoldinService s : services) {
                    if (s != null) {
                        s.close();
                    }
                }
            }
        }
    }

    /** Every instance holds some of the user tasks. */
    private static boolean spread(FoldinService[] services) {
        int total = 0;
        for (FoldinService s : services) {
            int mine = s.streams().sweeps().userTasks().size();
            if (mine == 0 || !s.streams().isRunning()) {
                return false;
            }
            total += mine;
        }
        return total == services[0].streams().sweeps().partitions();
    }

    private static boolean allAtLeast(FoldinService[] services, int epoch) {
        for (FoldinService s : services) {
            if (s.streams().live().epoch().epoch() < epoch) {
                return false;
            }
        }
        return true;
    }

    /**
     * The sweep one instance holding every partition runs over the same ratings: partition by partition, each in
     * its store's (user, item) order, with the settings of the service.
     */
    private static SweepResult singleInstanceSweep(FoldinService s, int epoch) throws Exception {
        StreamConfig c = s.streams().config();
        int partitions = s.streams().sweeps().partitions();
        RatingLog log = SampleData.ratings();
        List<TreeMap<Long, Float>> byPartition = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            byPartition.add(new TreeMap<>());
        }
        for (int k = 0; k < log.size(); k++) {
            int user = log.users().idOf(log.user(k));
            int item = log.items().idOf(log.item(k));
            byPartition.get(UserKey.partition(user, partitions)).put(((long) user << 32) | item, log.rating(k));
        }
        Sweeper.Collector collector = new Sweeper.Collector(c.sweep().holdout(), log.size());
        for (TreeMap<Long, Float> ratings : byPartition) {
            for (Map.Entry<Long, Float> r : ratings.entrySet()) {
                collector.add((int) (r.getKey() >>> 32), (int) (long) r.getKey(), r.getValue(), 0);
            }
        }
        AlsParams params = c.params();
        return new Sweeper(params, 1, 42).run(collector, null, s.streams().live().catalog(),
                ModelEpoch.initial(0, params.factors()), epoch, ITERATIONS);
    }

    /** Users whose recommendations differ between instances (or fail on one). */
    private static List<String> mismatches(int[] ports) {
        List<String> out = new ArrayList<>();
        for (int user = 1; user <= 610; user += 3) {
            String path = "/users/" + user + "/recommendations?k=10";
            HttpResponse<String> first = RunningService.get(ports[0], path);
            for (int k = 1; k < ports.length; k++) {
                HttpResponse<String> other = RunningService.get(ports[k], path);
                if (first.statusCode() != 200 || other.statusCode() != 200 || !first.body().equals(other.body())) {
                    out.add(path + ": " + first.statusCode() + " vs " + other.statusCode() + " on instance " + k);
                }
            }
        }
        if (!out.isEmpty()) {
            LOG.info("{} mismatches, first {}", out.size(), out.get(0));
        }
        return out;
    }
}
