package io.foldin.serve.http;

import io.foldin.serve.FoldinService;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The item index behind a real {@code serve} (embedded broker, RocksDB, HTTP on a free port): the bundled
 * sample's catalogue (9,742 items) is above {@code http.index.min.items} here, and the probe budget is
 * unbounded, so the index stops by its bound alone and must answer exactly what {@code exact=true} answers.
 */
class IndexHttpTest {
    static final int USERS = 100;

    @TempDir
    static Path dir;
    static FoldinService service;
    static int port;
    static OpenApiContract contract;

    @BeforeAll
    static void start() throws Exception {
        port = RunningService.freePort();
        service = FoldinService.start(RunningService.config(dir, null, port,
                Map.of("http.index.min.items", "1000", "http.index.probes", Integer.toString(Integer.MAX_VALUE))));
        assertTrue(service.streams().awaitRunning(Duration.ofMinutes(2)));
        int n = RunningService.produceSample(service.brokers(), USERS);
        RunningService.awaitFoldedIn(n, service);
        service.streams().sweeps().requestSweep(5, false).get(2, TimeUnit.MINUTES);
        // the sweep rewrote every row: wait for the index rebuilt after it (at most one build per 10 s)
        RunningService.await(Duration.ofSeconds(60), () -> "index".equals(search("/users/1/recommendations")),
                "the item index to serve");
        contract = new OpenApiContract();
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    static JsonObject json(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
        return new JsonObject(r.body());
    }

    static String search(String path) {
        HttpResponse<String> r = RunningService.get(port, path);
        return r.statusCode() == 200 ? new JsonObject(r.body()).getJsonObject("query").getString("search") : null;
    }

    static List<Integer> ids(JsonObject answer) {
        List<Integer> out = new ArrayList<>();
        JsonArray items = answer.getJsonArray("items");
        for (int i = 0; i < items.size(); i++) {
            out.add(items.getJsonObject(i).getInteger("itemId"));
        }
        return out;
    }

    @Test
    void indexedListsEqualExactOnesForEveryUserAndWeight() {
        int compared = 0;
        for (int user = 1; user <= USERS; user++) {
            for (String q : List.of("k=10", "k=25&biasWeight=1&minRatings=3", "k=5&biasWeight=0")) {
                String path = "/users/" + user + "/recommendations?" + q;
                HttpResponse<String> first = RunningService.get(port, path);
                if (first.statusCode() == 404) {
                    continue; // a user outside the first 100 ratings' users
                }
                JsonObject viaIndex = json(first);
                JsonObject exact = json(RunningService.get(port, path + "&exact=true"));
                assertEquals("index", viaIndex.getJsonObject("query").getString("search"), path);
                assertEquals("exact", exact.getJsonObject("query").getString("search"), path);
                assertEquals(true, exact.getJsonObject("query").getBoolean("exact"), path);
                // same items, same order, same scores and predictions: the answers differ only in the query
                assertEquals(exact.getJsonArray("items"), viaIndex.getJsonArray("items"), path);
                compared++;
            }
        }
        assertTrue(compared >= 150, "compared " + compared);
    }

    @Test
    void anonymousListsUseTheIndexAndVarianceRankingsScanExactly() {
        String body = "{\"ratings\":[{\"itemId\":1,\"rating\":5},{\"itemId\":296,\"rating\":4.5}]}";
        JsonObject viaIndex = json(RunningService.post(port, "/recommendations?k=10", body));
        JsonObject exact = json(RunningService.post(port, "/recommendations?k=10&exact=true", body));
        assertEquals("index", viaIndex.getJsonObject("query").getString("search"));
        assertEquals(ids(exact), ids(viaIndex));
        assertTrue(!ids(viaIndex).contains(1) && !ids(viaIndex).contains(296), "rated items are left out");
        for (String r : List.of("uncertainty", "ucb")) {
            assertEquals("exact", search("/users/1/recommendations?k=5&ranking=" + r), r);
        }
    }

    @Test
    void exactMustBeABooleanAndTheAnswersFollowTheContract() {
        HttpResponse<String> bad = RunningService.get(port, "/users/1/recommendations?exact=maybe");
        assertEquals(400, bad.statusCode(), bad.body());
        assertEquals("invalid_parameter", new JsonObject(bad.body()).getString("error"), bad.body());
        List<String> problems = new ArrayList<>();
        for (String path : List.of("/users/1/recommendations?k=5", "/users/1/recommendations?k=5&exact=true",
                "/users/1/recommendations?exact=maybe")) {
            problems.addAll(contract.check("GET", "/users/{userId}/recommendations", RunningService.get(port, path)));
        }
        problems.addAll(contract.check("POST", "/recommendations", RunningService.post(port,
                "/recommendations?exact=true", "{\"ratings\":[{\"itemId\":1,\"rating\":5}]}")));
        assertEquals(List.of(), problems);
    }
}
