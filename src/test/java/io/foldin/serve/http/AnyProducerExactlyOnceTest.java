package io.foldin.serve.http;

import io.foldin.serve.FoldinService;
import io.foldin.stream.kafka.EmbeddedKafka;
import io.foldin.stream.kafka.EmbeddedKafkaConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link AnyProducerTest}'s librdkafka-placed users under {@code exactly_once_v2}: the re-keying hop is written
 * in the same transaction as the offsets of the records it re-keys, and read back read_committed.
 */
class AnyProducerExactlyOnceTest {
    @TempDir
    Path dir;

    @Test
    void misplacedRatingsAreEachFoundAtTheirUserUnderExactlyOnce() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(new EmbeddedKafkaConfig(dir.resolve("kafka"), 0, true))) {
            int port = RunningService.freePort();
            try (FoldinService service = FoldinService.start(RunningService.config(dir, kafka.bootstrapServers(), port,
                    Map.of("processing.guarantee", "exactly_once_v2")))) {
                RunningService.await(Duration.ofMinutes(2), () -> service.streams().isRunning(), "streams running");
                AnyProducerTest.produceLikeLibrdkafka(kafka.bootstrapServers(), 3000);
                AnyProducerTest.assertEveryUserAnswered(port, 3000);
                assertTrue(service.metrics().total("foldin_rekeyed_total") > 0, "the hop was taken");
            }
        }
    }
}
