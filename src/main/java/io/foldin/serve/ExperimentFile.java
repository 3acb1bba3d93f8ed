package io.foldin.serve;

import io.foldin.experiment.Experiment;
import io.foldin.stream.kafka.Topics;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code experiments} setting: a JSON file holding an array of experiment definitions (the body of
 * {@code POST /experiments} each). Read and checked before anything starts; at every start each
 * definition is written to topic {@code experiments}, so the file wins over an HTTP change of the same
 * name made before the restart, and every instance sees it like one defined over HTTP.
 */
final class ExperimentFile {
    private ExperimentFile() {
    }

    static List<Experiment> read(String setting) {
        if (setting == null || setting.isBlank()) {
            return List.of();
        }
        Path file = Path.of(setting);
        try {
            Object v = new JsonArray(Files.readString(file));
            List<Experiment> out = new ArrayList<>();
            long now = System.currentTimeMillis();
            for (Object o : (JsonArray) v) {
                if (!(o instanceof JsonObject j)) {
                    throw new IllegalArgumentException("experiments file " + file + ": each entry must be an object");
                }
                out.add(Experiment.parse(j, now));
            }
            return out;
        } catch (IOException e) {
            throw new IllegalArgumentException("experiments file " + file + " cannot be read: " + e.getMessage());
        } catch (DecodeException | ClassCastException e) {
            throw new IllegalArgumentException("experiments file " + file + " is not a JSON array of experiments");
        } catch (Experiment.Invalid e) {
            throw new IllegalArgumentException("experiments file " + file + ": " + e.getMessage());
        }
    }

    static void publish(String brokers, List<Experiment> experiments) {
        if (experiments.isEmpty()) {
            return;
        }
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                brokers, ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Experiment e : experiments) {
                p.send(new ProducerRecord<>(Topics.EXPERIMENTS, e.name().getBytes(StandardCharsets.UTF_8),
                        e.toJson().encode().getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot write the experiments of the experiments file: " + e, e);
        }
    }
}
