package io.foldin.bench;

import io.foldin.data.RatingLog;
import io.foldin.data.RatingsBinary;
import io.foldin.data.RatingsReader;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Per-byte cost of a sweep exchange through Kafka (load-tests/SCALE.md): the stored ratings of a ratings file,
 * sorted by (user, item) as a user task's {@code user-ratings} store iterates them, encoded as
 * {@code userId:int32 itemId:int32 rating:float32} (12 B, big-endian), cut into records of RECORD_KB, produced
 * with the given compression to a fresh one-partition topic until MB megabytes of payload are sent, then read
 * back from the start by a fresh consumer. Prints one JSON line: payload MB/s for produce and consume, and the
 * producer's compression ratio (wire bytes over payload bytes, from its {@code compression-rate-avg} metric).
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.foldin.bench.KafkaBytes \
 *      BOOTSTRAP RATINGS_FILE MB [RECORD_KB=512] [COMPRESSION=lz4]
 * </pre>
 */
public final class KafkaBytes {
    private KafkaBytes() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        Path file = Path.of(args[1]);
        long targetBytes = (long) (Double.parseDouble(args[2]) * 1_000_000);
        int recordBytes = (args.length > 3 ? Integer.parseInt(args[3]) : 512) * 1024;
        String compression = args.length > 4 ? args[4] : "lz4";

        RatingLog log = file.toString().endsWith(".bin") ? RatingsBinary.read(file) : RatingsReader.load(file);
        int n = log.size();
        Integer[] idx = new Integer[n];
        for (int k = 0; k < n; k++) {
            idx[k] = k;
        }
        Arrays.sort(idx, (a, b) -> {
            int c = Integer.compare(log.users().idOf(log.user(a)), log.users().idOf(log.user(b)));
            return c != 0 ? c : Integer.compare(log.items().idOf(log.item(a)), log.items().idOf(log.item(b)));
        });
        ByteBuffer all = ByteBuffer.allocate(n * 12);
        for (int k = 0; k < n; k++) {
            int r = idx[k];
            all.putInt(log.users().idOf(log.user(r))).putInt(log.items().idOf(log.item(r))).putFloat(log.rating(r));
        }
        byte[] data = all.array();
        int perRecord = recordBytes / 12 * 12;
        int chunks = Math.max(1, data.length / perRecord);
        byte[][] records = new byte[chunks][];
        for (int c = 0; c < chunks; c++) {
            records[c] = Arrays.copyOfRange(data, c * perRecord, Math.min(data.length, (c + 1) * perRecord));
        }

        String topic = "scale-bytes-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }

        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 << 20);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L << 20);
        long sent = 0;
        int count = 0;
        long t0 = System.nanoTime();
        double ratio;
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            while (sent < targetBytes) {
                byte[] v = records[count % chunks];
                producer.send(new ProducerRecord<>(topic, v));
                sent += v.length;
                count++;
            }
            producer.flush();
            ratio = metric(producer.metrics(), "compression-rate-avg");
        }
        double produceS = (System.nanoTime() - t0) / 1e9;

        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 << 20);
        c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 << 20);
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        long read = 0;
        int got = 0;
        long t1 = System.nanoTime();
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            while (got < count) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    read += r.value().length;
                    got++;
                }
            }
        }
        double consumeS = (System.nanoTime() - t1) / 1e9;
        System.out.printf("{\"ratings\":%d,\"record_bytes\":%d,\"records\":%d,\"payload_mb\":%.1f,\"compression\":\"%s\","
                        + "\"compression_ratio\":%.3f,\"produce_s\":%.2f,\"produce_mb_s\":%.1f,\"consume_s\":%.2f,"
                        + "\"consume_mb_s\":%.1f}%n",
                n, perRecord, count, sent / 1e6, compression, ratio, produceS, sent / 1e6 / produceS, consumeS,
                read / 1e6 / consumeS);
    }

    private static double metric(Map<MetricName, ? extends Metric> metrics, String name) {
        for (Map.Entry<MetricName, ? extends Metric> e : metrics.entrySet()) {
            if (e.getKey().name().equals(name) && e.getKey().group().equals("producer-metrics")) {
                return ((Number) e.getValue().metricValue()).doubleValue();
            }
        }
        return Double.NaN;
    }
}
