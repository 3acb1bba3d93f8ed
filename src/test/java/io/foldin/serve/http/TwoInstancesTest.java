package io.foldin.serve.http;

import io.foldin.serve.FoldinService;
import io.foldin.stream.kafka.EmbeddedKafka;
import io.foldin.stream.kafka.EmbeddedKafkaConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two {@code serve} instances of one application on one broker: each owns some users' partitions,
 * and whichever instance is asked, every user's answers are the owner's (forwarded when remote).
 */
class TwoInstancesTest {
    /** The implicit model is off by default; these instances also answer its (forwarded) lists. */
    private static final java.util.Map<String, String> IMPLICIT_ON = java.util.Map.of("implicit.enabled", "true");
    static final int USERS = 40;
    static final String[] QUERIES = {"", "/recommendations?k=10", "/recommendations?k=5&minRatings=5&biasWeight=0.5",
        "/items/296/prediction", "/ratings?k=5",
        // the implicit list leaves out the items in the owner's implicit-user-items: only the owner can answer it
        "/recommendations?model=implicit&k=10"};

    @TempDir
    static Path dir;
    static EmbeddedKafka kafka;
    static FoldinService a;
    static FoldinService b;
    static int portA;
    static int portB;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(new EmbeddedKafkaConfig(dir.resolve("kafka"), 0, true));
        int[] ports = RunningService.freePorts(2);
        portA = ports[0];
        portB = ports[1];
        a = FoldinService.start(RunningService.config(dir, kafka.bootstrapServers(), portA, IMPLICIT_ON));
        b = FoldinService.start(RunningService.config(dir, kafka.bootstrapServers(), portB, IMPLICIT_ON));
        int n = RunningService.produceSample(kafka.bootstrapServers(), USERS);
        RunningService.awaitFoldedIn(n, a, b);
        // Both running, and every user answered identically by both: the assignment has settled.
        RunningService.await(Duration.ofMinutes(2), () -> a.streams().isRunning() && b.streams().isRunning()
                && mismatches().isEmpty(), "both instances to agree on every user");
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {a, b, kafka}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // keep closing the rest
            }
        }
    }

    static List<String> mismatches() {
        List<String> out = new ArrayList<>();
        for (int user = 1; user <= USERS; user++) {
            for (String q : QUERIES) {
                String path = "/users/" + user + q;
                HttpResponse<String> ra = RunningService.get(portA, path);
                HttpResponse<String> rb = RunningService.get(portB, path);
                if (ra.statusCode() != 200 || rb.statusCode() != 200 || !ra.body().equals(rb.body())) {
                    out.add(path + ": " + ra.statusCode() + " vs " + rb.statusCode());
                }
            }
        }
        return out;
    }

    @Test
    void everyUserIsAnsweredTheSameWhicheverInstanceIsAsked() {
        assertEquals(List.of(), mismatches());
        // Both instances own users, so forwarding was exercised in both directions.
        int onA = 0;
        int onB = 0;
        for (int user = 1; user <= USERS; user++) {
            int partition = new JsonObject(RunningService.get(portA, "/users/" + user).body()).getInteger("partition");
            boolean local = a.streams().streams().queryMetadataForKey(io.foldin.stream.topology.Stores.USER_STATS, user,
                    io.foldin.stream.event.UserKey.SERIALIZER)
                    .activeHost().port() == portA;
            onA += local ? 1 : 0;
            onB += local ? 0 : 1;
            assertTrue(partition >= 0);
        }
        assertTrue(onA > 0 && onB > 0, "users on A: " + onA + ", on B: " + onB);
    }

    @Test
    void aRatingPostedToEitherInstanceReachesTheOwner() throws Exception {
        int user = 7;
        long before = new JsonObject(RunningService.get(portA, "/users/" + user).body()).getLong("ratings");
        HttpResponse<String> r = RunningService.post(portB, "/ratings", "{\"userId\":" + user + ",\"itemId\":4242424,"
                + "\"rating\":4.0}");
        assertEquals(202, r.statusCode(), r.body());
        RunningService.await(Duration.ofSeconds(30), () -> new JsonObject(RunningService.get(portA, "/users/" + user)
                .body()).getLong("ratings") == before + 1, "the new rating to be counted");
        assertEquals(RunningService.get(portA, "/users/" + user).body(), RunningService.get(portB, "/users/" + user).body());
    }
}
