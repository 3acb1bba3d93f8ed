package io.foldin.serve.http;

import io.foldin.serve.FoldinService;
import io.foldin.serve.rank.ImplicitRanker;
import io.foldin.stream.kafka.Topics;
import io.foldin.stream.live.ImplicitTable;
import io.foldin.stream.topology.FactorRecord;
import io.foldin.stream.live.LiveModel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The live implicit model's endpoints on one real {@code serve} (embedded broker, Streams, HTTP on a free port)
 * with the movies and the first users of the bundled sample, the implicit factors produced to their topics:
 * answers against {@link ImplicitRanker} on the instance's own tables, interacted items (from the stream's
 * {@code implicit-user-items}) left out, the 400s of options that mean nothing there, and the OpenAPI contract.
 */
class ImplicitHttpTest {
    static final int USERS = 20;
    static final int USER = 1;

    @TempDir
    static Path dir;
    static FoldinService service;
    static int port;
    static OpenApiContract contract;
    static int[] interacted;

    @BeforeAll
    static void start() throws Exception {
        port = RunningService.freePort();
        service = FoldinService.start(RunningService.config(dir, null, port,
                java.util.Map.of("implicit.enabled", "true")));
        assertTrue(service.streams().awaitRunning(Duration.ofMinutes(2)));
        int n = RunningService.produceSample(service.brokers(), USERS);
        RunningService.awaitFoldedIn(n, service);
        fillTables(service.streams().live());
        contract = new OpenApiContract();
    }

    /**
     * Through the real topics: the sample's ratings at or above 4 reach the implicit fold-in, which publishes both
     * sides (zero vectors before any sweep: every item starts at y = 0). Once it is quiet, random item vectors
     * (fixed seed) for every catalogue item and user 1's vector, the exact solve of its interacted items against
     * them, are produced to the two compacted factor topics, whose global stores fill every instance's tables.
     */
    static void fillTables(LiveModel live) throws Exception {
        interacted = interactedOf(live);
        awaitQuiet(live);
        ImplicitTable shadow = new ImplicitTable(live.implicitItems().factors());
        Random rnd = new Random(42);
        float[] v = new float[shadow.factors() + 1];
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(java.util.Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, service.brokers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            int last = -1;
            for (var item : live.catalog().all()) {
                for (int a = 0; a < shadow.factors(); a++) {
                    v[a] = (float) (0.3 * rnd.nextGaussian());
                }
                shadow.put(item.itemId(), Arrays.copyOf(v, shadow.factors()));
                p.send(new ProducerRecord<>(Topics.IMPLICIT_ITEM_FACTORS, key(item.itemId()),
                        new FactorRecord(1, 1, v).encode()));
                last = item.itemId();
            }
            float[] w = new float[interacted.length];
            Arrays.fill(w, 1f);
            float[] x = ranker().solveTransient(shadow, interacted, w).vector();
            p.send(new ProducerRecord<>(Topics.IMPLICIT_USER_FACTORS, key(USER),
                    new FactorRecord(1, interacted.length, Arrays.copyOf(x, x.length + 1)).encode()));
            p.flush();
            float[] want = new float[shadow.factors()];
            assertTrue(shadow.get(last, want));
            int lastItem = last;
            RunningService.await(Duration.ofSeconds(30), () -> {
                float[] got = new float[want.length];
                float[] u = new float[want.length];
                return live.implicitItems().get(lastItem, got) && Arrays.equals(got, want)
                        && live.implicitUsers().get(USER, u) && Arrays.equals(u, x);
            }, "the produced factors in the global tables");
        }
    }

    static byte[] key(int id) {
        return java.nio.ByteBuffer.allocate(4).putInt(id).array();
    }

    /** Until both implicit tables have stopped growing for a second, user 1 in them: the fold-in has published. */
    static void awaitQuiet(LiveModel live) throws InterruptedException {
        int[] last = {-1, -1};
        long[] since = {System.nanoTime()};
        RunningService.await(Duration.ofSeconds(60), () -> {
            int u = live.implicitUsers().size();
            int i = live.implicitItems().size();
            if (u != last[0] || i != last[1]) {
                last[0] = u;
                last[1] = i;
                since[0] = System.nanoTime();
            }
            return live.implicitUsers().contains(USER) && i > 0 && System.nanoTime() - since[0] > 1_000_000_000L;
        }, "the implicit fold-in to publish the sample's users and items");
    }

    /** User 1's ratings at or above 4 in the sample: its interactions. */
    static int[] interactedOf(LiveModel live) throws java.io.IOException {
        var all = io.foldin.serve.SampleData.ratings();
        List<Integer> ids = new ArrayList<>();
        for (int k = 0; k < all.size(); k++) {
            if (all.users().idOf(all.user(k)) == USER && all.rating(k) >= 4.0f) {
                ids.add(all.items().idOf(all.item(k)));
            }
        }
        return ids.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    static ImplicitRanker ranker() {
        return new ImplicitRanker(service.streams().config().implicit().params());
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    static JsonObject json(HttpResponse<String> r) {
        return new JsonObject(r.body());
    }

    static int[] ids(JsonArray items) {
        int[] out = new int[items.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = items.getJsonObject(k).getInteger("itemId");
        }
        return out;
    }

    @Test
    void aUsersListIsTheTopKOfItsVectorWithoutItsInteractedItems() {
        LiveModel live = service.streams().live();
        HttpResponse<String> r = RunningService.get(port, "/users/" + USER + "/recommendations?model=implicit&k=15");
        assertEquals(200, r.statusCode(), r.body());
        JsonObject body = json(r);
        assertEquals(new JsonObject().put("model", "implicit").put("k", 15), body.getJsonObject("query"));
        float[] x = new float[live.implicitUsers().factors()];
        assertTrue(live.implicitUsers().get(USER, x));
        List<ImplicitRanker.Scored> expected = ranker().top(live.implicitItems(), x, 15,
                id -> Arrays.binarySearch(interacted, id) >= 0);
        JsonArray items = body.getJsonArray("items");
        assertEquals(15, items.size());
        for (int k = 0; k < 15; k++) {
            JsonObject it = items.getJsonObject(k);
            assertEquals(expected.get(k).itemId(), it.getInteger("itemId"), "rank " + k);
            assertEquals(expected.get(k).score(), it.getDouble("score"), 1e-5, "rank " + k);
            assertTrue(Arrays.binarySearch(interacted, it.getInteger("itemId")) < 0, "interacted item " + it);
            assertTrue(it.getString("title") != null, "titles from the catalogue: " + it);
        }
        // the explicit list is unchanged by the parameter's existence
        assertEquals(200, RunningService.get(port, "/users/1/recommendations?model=explicit&k=3").statusCode());
    }

    @Test
    void anAnonymousUserOfTheSameItemsGetsTheSameList() {
        JsonArray listed = new JsonArray();
        for (int id : interacted) {
            listed.add(id);
        }
        listed.add(77_777_777);
        HttpResponse<String> r = RunningService.post(port, "/recommendations?k=15",
                new JsonObject().put("model", "implicit").put("items", listed).encode());
        assertEquals(200, r.statusCode(), r.body());
        JsonObject anon = json(r);
        assertEquals(new JsonArray().add(77_777_777), anon.getJsonArray("ignoredItems"));
        JsonObject user = json(RunningService.get(port, "/users/" + USER + "/recommendations?model=implicit&k=15"));
        assertEquals(Arrays.toString(ids(user.getJsonArray("items"))), Arrays.toString(ids(anon.getJsonArray("items"))));
        for (int k = 0; k < 15; k++) {
            assertEquals(user.getJsonArray("items").getJsonObject(k).getDouble("score"),
                    anon.getJsonArray("items").getJsonObject(k).getDouble("score"), 1e-4, "rank " + k);
        }
        // weights: a heavy weight on one item pulls its nearest items up; the listed item itself is left out
        int first = interacted[0];
        JsonObject heavy = json(RunningService.post(port, "/recommendations?k=5", new JsonObject().put("model", "implicit")
                .put("items", new JsonArray().add(new JsonObject().put("itemId", first).put("weight", 50))).encode()));
        assertFalse(Arrays.stream(ids(heavy.getJsonArray("items"))).anyMatch(id -> id == first), heavy.encode());
        assertEquals(5, heavy.getJsonArray("items").size());
    }

    @Test
    void optionsThatMeanNothingForTheImplicitModelAre400() {
        String anon = "{\"model\":\"implicit\",\"items\":[1]}";
        for (String q : List.of("biasWeight=0.1", "minRatings=3", "beta=1", "ranking=ucb", "ranking=uncertainty")) {
            for (HttpResponse<String> r : List.of(RunningService.get(port, "/users/1/recommendations?model=implicit&" + q),
                    RunningService.post(port, "/recommendations?" + q, anon))) {
                assertEquals(400, r.statusCode(), q + " " + r.body());
                assertEquals("invalid_parameter", json(r).getString("error"), r.body());
            }
        }
        assertEquals(200, RunningService.get(port, "/users/1/recommendations?model=implicit&ranking=mean").statusCode());
        HttpResponse<String> bad = RunningService.get(port, "/users/1/recommendations?model=bpr");
        assertEquals(400, bad.statusCode());
        for (String body : List.of("{\"model\":\"implicit\",\"ratings\":[{\"itemId\":1,\"rating\":5}]}",
                "{\"model\":\"implicit\"}", "{\"model\":\"implicit\",\"items\":[{\"itemId\":1,\"weight\":0}]}",
                "{\"model\":\"implicit\",\"items\":[{\"itemId\":1,\"weight\":\"2\"}]}",
                "{\"model\":\"implicit\",\"items\":[\"1\"]}", "{\"model\":7,\"items\":[1]}",
                "{\"items\":[1],\"ratings\":[{\"itemId\":1,\"rating\":5}]}")) {
            HttpResponse<String> r = RunningService.post(port, "/recommendations", body);
            assertEquals(400, r.statusCode(), body + " " + r.body());
        }
        HttpResponse<String> none = RunningService.get(port, "/users/424242/recommendations?model=implicit");
        assertEquals(404, none.statusCode(), "a user without interactions has no implicit vector: " + none.body());
        assertEquals("unknown_user", json(none).getString("error"));
    }

    @Test
    void answersFollowTheOpenApiFile() {
        List<String> problems = new ArrayList<>();
        for (String q : List.of("?model=implicit&k=5", "?model=implicit&biasWeight=1", "?model=nope")) {
            problems.addAll(contract.check("GET", "/users/1/recommendations",
                    RunningService.get(port, "/users/1/recommendations" + q)));
        }
        problems.addAll(contract.check("GET", "/users/424242/recommendations",
                RunningService.get(port, "/users/424242/recommendations?model=implicit")));
        for (String body : List.of("{\"model\":\"implicit\",\"items\":[1,{\"itemId\":296,\"weight\":2},424242]}",
                "{\"model\":\"implicit\",\"items\":[424242]}", "{\"model\":\"implicit\",\"items\":{}}")) {
            problems.addAll(contract.check("POST", "/recommendations",
                    RunningService.post(port, "/recommendations?k=4", body)));
        }
        assertEquals(List.of(), problems);
    }
}
