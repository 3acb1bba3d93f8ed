package io.foldin.serve.http;

import io.foldin.model.ImplicitParams;
import io.foldin.serve.FoldinService;
import io.foldin.serve.rank.ImplicitRanker;
import io.foldin.stream.live.ImplicitTable;
import io.foldin.stream.live.LiveModel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
 * with the movies and the first users of the bundled sample: answers against {@link ImplicitRanker} on the
 * instance's own tables, the 400s of options that mean nothing there, and the OpenAPI contract.
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
        service = FoldinService.start(RunningService.config(dir, null, port));
        assertTrue(service.streams().awaitRunning(Duration.ofMinutes(2)));
        int n = RunningService.produceSample(service.brokers(), USERS);
        RunningService.awaitFoldedIn(n, service);
        fillTables(service.streams().live());
        contract = new OpenApiContract();
    }

    /**
     * Random item vectors for every catalogue item (fixed seed), and user 1's vector as the exact solve of its
     * interacted items against them: its list must then equal the anonymous list of the same items.
     */
    static void fillTables(LiveModel live) throws java.io.IOException {
        ImplicitTable items = live.implicitItems();
        Random rnd = new Random(42);
        float[] v = new float[items.factors()];
        for (var item : live.catalog().all()) {
            for (int a = 0; a < v.length; a++) {
                v[a] = (float) (0.3 * rnd.nextGaussian());
            }
            items.put(item.itemId(), v);
        }
        interacted = interactedOf(live);
        float[] w = new float[interacted.length];
        Arrays.fill(w, 1f);
        live.implicitUsers().put(USER, ranker().solveTransient(items, interacted, w).vector());
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
        ImplicitTable items = service.streams().live().implicitItems();
        ImplicitParams d = ImplicitParams.DEFAULT;
        return new ImplicitRanker(new ImplicitParams(items.factors(), d.alpha(), d.lambda()));
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
        HttpResponse<String> none = RunningService.get(port, "/users/2/recommendations?model=implicit");
        assertEquals(404, none.statusCode(), "user 2 has no implicit vector here: " + none.body());
        assertEquals("unknown_user", json(none).getString("error"));
    }

    @Test
    void answersFollowTheOpenApiFile() {
        List<String> problems = new ArrayList<>();
        for (String q : List.of("?model=implicit&k=5", "?model=implicit&biasWeight=1", "?model=nope")) {
            problems.addAll(contract.check("GET", "/users/1/recommendations",
                    RunningService.get(port, "/users/1/recommendations" + q)));
        }
        problems.addAll(contract.check("GET", "/users/2/recommendations",
                RunningService.get(port, "/users/2/recommendations?model=implicit")));
        for (String body : List.of("{\"model\":\"implicit\",\"items\":[1,{\"itemId\":296,\"weight\":2},424242]}",
                "{\"model\":\"implicit\",\"items\":[424242]}", "{\"model\":\"implicit\",\"items\":{}}")) {
            problems.addAll(contract.check("POST", "/recommendations",
                    RunningService.post(port, "/recommendations?k=4", body)));
        }
        assertEquals(List.of(), problems);
    }
}
