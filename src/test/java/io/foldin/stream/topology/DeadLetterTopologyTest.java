package io.foldin.stream.topology;

import io.foldin.model.AlsParams;
import io.foldin.stream.event.DeadLetter;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The malformed-event corpus through the real topology: every bad record lands in ratings-dlq,
 * unchanged, with its reason and source in headers and a per-reason metric; every good event
 * around them is folded in.
 */
class DeadLetterTopologyTest {
    @TempDir
    Path dir;

    record Bad(String key, byte[] value, String reason) {
        static Bad of(String key, String value, String reason) {
            return new Bad(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8), reason);
        }
    }

    static List<Bad> corpus() throws IOException {
        List<Bad> bad = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("schemas/examples"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("rating-event.invalid.")).sorted().toList()) {
                bad.add(new Bad(null, Files.readAllBytes(f), null));
            }
        }
        bad.add(Bad.of("1", null, "value_missing"));
        bad.add(Bad.of("1", "", "value_missing"));
        bad.add(Bad.of("1", "{\"userId\":1,\"itemId\":2,\"rating\":3,\"pad\":\"" + "x".repeat(5000) + "\"}", "value_too_large"));
        // A key that is not the body's userId is no longer a rejection: the body decides and the event is
        // re-keyed to its owner (MisplacedRatingsTopologyTest). A bad key on a bad value is still dead-lettered
        // for the value, unchanged and with its original key.
        bad.add(Bad.of("one", "{\"userId\":1,\"itemId\":2,\"rating\":9}", "rating_out_of_range"));
        bad.add(new Bad("1", new byte[]{'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}, "invalid_utf8"));
        bad.add(Bad.of("1", "{\"userId\":1,\"itemId\":", "unparsable_json"));
        bad.add(Bad.of("1", "not json at all", "unparsable_json"));
        bad.add(Bad.of("1", "{\"userId\":1,\"itemId\":2,\"rating\":3} {}", "trailing_data"));
        bad.add(Bad.of("1", "{\"userId\":1,\"userId\":1,\"itemId\":2,\"rating\":3}", "duplicate_field"));
        bad.add(Bad.of("1", "{\"userId\":1,\"itemId\":2,\"rating\":3,\"x\":" + "[".repeat(40) + "]".repeat(40) + "}", "too_deep"));
        bad.add(Bad.of("1", "\"a string\"", "not_an_object"));
        bad.add(Bad.of("1", "{\"userId\":1,\"itemId\":2,\"rating\":1e400}", null));
        bad.add(Bad.of("1", "{\"userId\":1,\"itemId\":2,\"rating\":5.5}", "rating_out_of_range"));
        bad.add(Bad.of("1", "{\"userId\":99999999999,\"itemId\":2,\"rating\":3}", "id_out_of_range"));
        return bad;
    }

    @Test
    void everyMalformedEventGoesToTheDlqAndTheGoodOnesAroundItAreFoldedIn() throws IOException {
        List<Bad> bad = corpus();
        assertTrue(bad.size() >= 20, "corpus of " + bad.size());
        try (TopologyFixture t = new TopologyFixture(dir, AlsParams.DEFAULT, 3.5, 0.0)) {
            int good = 0;
            for (int k = 0; k < bad.size(); k++) {
                t.rate(1000 + k, 10 + k, 4f);
                good++;
                t.ratings.pipeInput(bad.get(k).key() == null ? null : bad.get(k).key().getBytes(StandardCharsets.UTF_8),
                        bad.get(k).value());
                t.rate(2000 + k, 10 + k, 3f);
                good++;
            }
            List<TestRecord<byte[], byte[]>> dlq = t.dlq.readRecordsToList();
            assertEquals(bad.size(), dlq.size());
            for (int k = 0; k < bad.size(); k++) {
                TestRecord<byte[], byte[]> r = dlq.get(k);
                String reason = DeadLetter.header(r.headers(), DeadLetter.REASON);
                assertNotNull(reason);
                assertNotNull(DeadLetter.header(r.headers(), DeadLetter.MESSAGE));
                assertTrue(DeadLetter.header(r.headers(), DeadLetter.SOURCE).startsWith("ratings-"));
                if (bad.get(k).reason() != null) {
                    assertEquals(bad.get(k).reason(), reason, "case " + k);
                }
                assertArrayEquals(bad.get(k).value(), r.value(), "value unchanged, case " + k);
            }
            assertEquals(bad.size(), t.live.metrics().total("foldin_dlq_total"));
            RatingsStore ratings = t.ratings();
            assertEquals(good, count(ratings));
            assertEquals(good, t.live.metrics().total("foldin_events_total") / 2);
        }
    }

    private static long count(RatingsStore store) {
        long n = 0;
        try (var it = store.all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }
}
