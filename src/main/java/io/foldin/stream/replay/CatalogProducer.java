package io.foldin.stream.replay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.foldin.data.Catalog;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Produces an item catalogue to the compacted topic {@code items}: key = the item id in decimal, value =
 * the item event of {@code schemas/item-event.schema.json}. Returns once every record is acknowledged
 * or failed, so ratings produced afterwards find their items' metadata already there.
 */
public final class CatalogProducer {
    private static final JsonFactory JSON = new JsonFactory();

    /** What was produced: records acknowledged, failed, the first failure (or null) and the wall time. */
    public record Report(long delivered, long errors, String firstError, double seconds) {
    }

    private CatalogProducer() {
    }

    /**
     * Idempotent with acks=all, small batches that may wait 20 ms to fill; overrides win. Nothing waits on
     * the cluster for longer than {@code deliveryTimeout} ({@link ProducerTimeouts}).
     */
    public static Map<String, Object> producerConfig(String bootstrapServers, Map<String, String> overrides,
                                                     java.time.Duration deliveryTimeout) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "foldin-catalog");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.putAll(overrides);
        ProducerTimeouts.apply(p, deliveryTimeout, overrides);
        return p;
    }

    /** Sends every item of {@code catalog} in id order and waits for the acknowledgements. */
    public static Report produce(Producer<byte[], byte[]> producer, String topic, Catalog catalog) {
        long t0 = System.nanoTime();
        AtomicLong delivered = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> first = new AtomicReference<>();
        for (int id : catalog.ids()) {
            try {
                producer.send(new ProducerRecord<>(topic, Integer.toString(id).getBytes(StandardCharsets.US_ASCII),
                        itemJson(id, catalog)), (meta, e) -> {
                            if (e == null) {
                                delivered.incrementAndGet();
                            } else {
                                errors.incrementAndGet();
                                first.compareAndSet(null, e.toString());
                            }
                        });
            } catch (KafkaException | IllegalStateException e) {
                errors.incrementAndGet();
                first.compareAndSet(null, "send refused: " + e);
                break;
            }
        }
        producer.flush();
        long unsent = catalog.size() - delivered.get() - errors.get();
        return new Report(delivered.get(), errors.get() + Math.max(0, unsent), first.get(), (System.nanoTime() - t0) / 1e9);
    }

    /** The item event JSON: {@code {"itemId":..,"title":..,"genres":[..]}}. */
    public static byte[] itemJson(int id, Catalog catalog) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("itemId", id);
            g.writeStringField("title", catalog.title(id));
            g.writeArrayFieldStart("genres");
            List<String> names = catalog.genreNames();
            for (int k : catalog.genres(id)) {
                g.writeString(names.get(k));
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
