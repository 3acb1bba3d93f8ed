package io.foldin.serve;

import io.foldin.data.Catalog;
import io.foldin.data.MoviesReader;
import io.foldin.data.RatingLog;
import io.foldin.data.RatingsReader;
import io.foldin.data.ReadOptions;
import io.foldin.stream.kafka.Topics;
import io.foldin.stream.replay.CatalogProducer;
import io.foldin.stream.replay.ReplayConfig;
import io.foldin.stream.replay.ReplayReport;
import io.foldin.stream.replay.Replayer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The bundled MovieLens ml-latest-small (classpath {@code /ml-latest-small/}), produced through
 * Kafka like any other data: movies to {@code items} as item events, ratings to {@code ratings} in
 * timestamp order as rating events.
 */
public final class SampleData {
    static final String RATINGS = "/ml-latest-small/ratings.csv";
    static final String MOVIES = "/ml-latest-small/movies.csv";

    private SampleData() {
    }

    public static Catalog movies() throws IOException {
        try (InputStream in = resource(MOVIES)) {
            return MoviesReader.read(in, MOVIES, StandardCharsets.UTF_8);
        }
    }

    public static RatingLog ratings() throws IOException {
        Path tmp = Files.createTempFile("foldin-sample", ".csv");
        try (InputStream in = resource(RATINGS)) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return RatingsReader.read(tmp, ReadOptions.defaults()).log();
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Produces every movie to {@code items} and waits for the acknowledgements; returns how many. */
    public static int produceMovies(String brokers, Catalog movies) {
        awaitLeaders(brokers, Topics.ITEMS);
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(CatalogProducer.producerConfig(brokers, Map.of(),
                ReplayConfig.DEFAULT_DELIVERY_TIMEOUT))) {
            CatalogProducer.Report r = CatalogProducer.produce(p, Topics.ITEMS, movies);
            if (r.errors() > 0) {
                throw new IllegalStateException(r.errors() + " movies not delivered to " + Topics.ITEMS + "; first: "
                        + r.firstError());
            }
        }
        return movies.size();
    }

    /** Produces the ratings in timestamp order to {@code ratings}, as fast as the broker takes them. */
    public static ReplayReport produceRatings(String brokers, RatingLog log, Replayer.Listener progress) {
        awaitLeaders(brokers, Topics.RATINGS);
        return new Replayer(new ReplayConfig(brokers, Topics.RATINGS, 0, 0, Map.of())).run(log, log.timeOrder(), progress);
    }

    /** The topics were created moments ago by the stream job: see {@link Topics#awaitLeaders}. */
    private static void awaitLeaders(String brokers, String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            Topics.awaitLeaders(admin, List.of(topic), Duration.ofSeconds(60));
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = SampleData.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException("bundled sample " + name + " is missing from the classpath");
        }
        return in;
    }
}
