package io.foldin.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.foldin.data.Catalog;
import io.foldin.data.MoviesReader;
import io.foldin.data.RatingLog;
import io.foldin.data.RatingsReader;
import io.foldin.data.ReadOptions;
import io.foldin.stream.kafka.Topics;
import io.foldin.stream.replay.ReplayConfig;
import io.foldin.stream.replay.ReplayReport;
import io.foldin.stream.replay.Replayer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

    /** Produces every movie to {@code items}; returns how many. */
    public static int produceMovies(String brokers, Catalog movies) {
        Map<String, Object> cfg = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(cfg, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int id : movies.ids()) {
                p.send(new ProducerRecord<>(Topics.ITEMS, Integer.toString(id).getBytes(StandardCharsets.US_ASCII),
                        itemJson(id, movies)));
            }
            p.flush();
        }
        return movies.size();
    }

    /** Produces the ratings in timestamp order to {@code ratings}, as fast as the broker takes them. */
    public static ReplayReport produceRatings(String brokers, RatingLog log, Replayer.Listener progress) {
        return new Replayer(new ReplayConfig(brokers, Topics.RATINGS, 0, 0, Map.of())).run(log, log.timeOrder(), progress);
    }

    /** The item event JSON of schemas/item-event.schema.json. */
    static byte[] itemJson(int id, Catalog movies) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("itemId", id);
            g.writeStringField("title", movies.title(id));
            g.writeArrayFieldStart("genres");
            var names = movies.genreNames();
            for (int k : movies.genres(id)) {
                g.writeString(names.get(k));
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = SampleData.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException("bundled sample " + name + " is missing from the classpath");
        }
        return in;
    }
}
