package io.foldin.serve.http;

import io.foldin.serve.FoldinService;
import io.foldin.stream.live.ItemFactorTable;
import io.foldin.stream.topology.EntityState;
import io.foldin.stream.topology.RatingKey;
import io.foldin.stream.topology.Stores;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One real {@code serve} (embedded broker, Kafka Streams on RocksDB, HTTP on a free port) with the
 * movies and the first 100 users of the bundled sample, swept once; then the API end to end.
 */
class HttpApiTest {
    static final int USERS = 100;

    @TempDir
    static Path dir;
    static FoldinService service;
    static int port;
    static OpenApiContract contract;

    @BeforeAll
    static void start() throws Exception {
        port = RunningService.freePort();
        service = FoldinService.start(RunningService.config(dir, null, port));
        assertTrue(service.streams().awaitRunning(Duration.ofMinutes(2)));
        int n = RunningService.produceSample(service.brokers(), USERS);
        RunningService.awaitFoldedIn(n, service);
        service.streams().sweeps().requestSweep(5, false).get(2, TimeUnit.MINUTES);
        contract = new OpenApiContract();
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

    @Test
    void everyDocumentedOperationAnswersAsTheOpenApiFileSays() {
        List<String[]> calls = List.of(
                new String[] {"GET", "/users/1/recommendations?k=5"},
                new String[] {"GET", "/users/1/recommendations?k=20&minRatings=10&biasWeight=0"},
                new String[] {"GET", "/users/1/recommendations?k=0"},
                new String[] {"GET", "/users/1/recommendations?k=1001"},
                new String[] {"GET", "/users/424242/recommendations"},
                new String[] {"GET", "/users/x1/recommendations"},
                new String[] {"GET", "/users/1"},
                new String[] {"GET", "/users/424242"},
                new String[] {"GET", "/users/01"},
                new String[] {"GET", "/users/1/items/296/prediction"},
                new String[] {"GET", "/users/1/items/77777777/prediction"},
                new String[] {"GET", "/users/1/items/-3/prediction"},
                new String[] {"GET", "/items/1/similar?k=7"},
                new String[] {"GET", "/items/1/similar?minRatings=20"},
                new String[] {"GET", "/items/77777777/similar"},
                new String[] {"GET", "/items/1/similar?k=abc"},
                new String[] {"GET", "/items/popular?k=3"},
                new String[] {"GET", "/items/popular?k=3&k=4"},
                new String[] {"GET", "/items/1"},
                new String[] {"GET", "/items/77777777"},
                new String[] {"GET", "/items/nope"},
                new String[] {"POST", "/recommendations?k=5", "{\"ratings\":[{\"itemId\":1,\"rating\":5}]}"},
                new String[] {"POST", "/recommendations", "{\"ratings\":[{\"itemId\":1,\"rating\":5},{\"itemId\":9,\"rating\":1},"
                        + "{\"itemId\":77777777,\"rating\":3}]}"},
                new String[] {"POST", "/recommendations", "{\"ratings\":[{\"itemId\":1,\"rating\":9}]}"},
                new String[] {"POST", "/recommendations", "{\"ratings\":"},
                new String[] {"POST", "/recommendations", "x".repeat(70_000)},
                new String[] {"POST", "/ratings", "{\"userId\":5000,\"itemId\":1,\"rating\":4.5}"},
                new String[] {"POST", "/ratings", "{\"userId\":5000,\"itemId\":1,\"rating\":null}"},
                new String[] {"POST", "/ratings", "{\"userId\":5000,\"itemId\":1,\"rating\":\"4\"}"},
                new String[] {"POST", "/ratings", "x".repeat(70_000)},
                new String[] {"GET", "/health/live"},
                new String[] {"GET", "/health/ready"},
                new String[] {"GET", "/metrics"},
                new String[] {"GET", "/stats"},
                new String[] {"GET", "/"});
        List<String> problems = new ArrayList<>();
        for (String[] c : calls) {
            HttpResponse<String> r = c[0].equals("GET") ? RunningService.get(port, c[1])
                    : RunningService.post(port, c[1], c[2]);
            problems.addAll(contract.check(c[0], c[1].split("\\?")[0], r));
        }
        String token = adminToken();
        for (String[] c : List.of(new String[] {null, "/admin/sweep"}, new String[] {"Bearer nope", "/admin/sweep"},
                new String[] {"Bearer " + token, "/admin/sweep?iterations=0"},
                new String[] {"Bearer " + token, "/admin/sweep?iterations=2&warm=true"},
                new String[] {"Bearer " + token, "/admin/sweep?iterations=2&wait=true"})) {
            problems.addAll(contract.check("POST", "/admin/sweep", admin(c[0], c[1])));
        }
        assertEquals(List.of(), problems);
        assertEquals(contract.operations(), contract.exercised(), "every documented operation is exercised");
    }

    /** The token generated at start (no admin.token configured), from its owner-only file under state.dir. */
    static String adminToken() {
        try {
            Path file = service.config().stream().stateDir().resolve("admin.token");
            assertEquals(java.util.Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                    java.nio.file.attribute.PosixFilePermission.OWNER_WRITE), java.nio.file.Files.getPosixFilePermissions(file));
            return java.nio.file.Files.readString(file).trim();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    static HttpResponse<String> admin(String authorization, String pathAndQuery) {
        var b = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            b.header("authorization", authorization);
        }
        return RunningService.send(b.build());
    }

    /** Issue #16: POST /admin/sweep needs the admin token; with it, it sweeps now and says which epoch. */
    @Test
    void adminSweepNeedsTheTokenAndSweepsNow() {
        int before = service.streams().live().epoch().epoch();
        HttpResponse<String> none = admin(null, "/admin/sweep?wait=true");
        assertEquals(401, none.statusCode(), none.body());
        assertEquals("missing_admin_token", json(none).getString("error"));
        assertEquals(401, json(none).getInteger("status"));
        HttpResponse<String> wrong = admin("Bearer " + adminToken() + "x", "/admin/sweep?wait=true");
        assertEquals(401, wrong.statusCode(), wrong.body());
        assertEquals("invalid_admin_token", json(wrong).getString("error"));
        assertEquals(401, admin("Basic " + adminToken(), "/admin/sweep").statusCode());
        assertEquals(before, service.streams().live().epoch().epoch(), "no sweep without the token");

        HttpResponse<String> bad = admin("Bearer " + adminToken(), "/admin/sweep?warm=maybe");
        assertEquals(400, bad.statusCode(), bad.body());
        assertEquals("invalid_parameter", json(bad).getString("error"));

        HttpResponse<String> done = admin("Bearer " + adminToken(), "/admin/sweep?wait=true&iterations=1&warm=false");
        assertEquals(200, done.statusCode(), done.body());
        JsonObject d = json(done);
        assertEquals(before + 1, d.getInteger("epoch"), d.encode());
        assertEquals(1, d.getInteger("iterations"));
        assertFalse(d.getBoolean("warm"));
        assertTrue(d.getLong("ratings") > 0, d.encode());
        assertEquals(before + 1, service.streams().live().epoch().epoch());

        HttpResponse<String> requested = admin("Bearer " + adminToken(), "/admin/sweep?iterations=1");
        assertEquals(202, requested.statusCode(), requested.body());
        assertEquals(before + 2, json(requested).getInteger("epoch"));
        assertEquals(service.streams().sweeps().warmByDefault(), json(requested).getBoolean("warm"));
        // A waiting call made now is served by that sweep or the next; either way it ends at or after it.
        JsonObject after = json(admin("Bearer " + adminToken(), "/admin/sweep?wait=true&iterations=1"));
        assertTrue(after.getInteger("epoch") >= before + 2, after.encode());
    }

    @Test
    void theContractCheckerRejectsBodiesThatDoNotMatch() {
        assertFalse(contract.validate("Error", "{\"status\":404,\"error\":\"Not Found\",\"message\":\"x\"}").isEmpty());
        assertFalse(contract.validate("User", "{\"userId\":-1,\"ratings\":3,\"bias\":0,\"norm\":1,\"partition\":0}")
                .isEmpty());
        assertTrue(contract.validate("User", "{\"userId\":1,\"ratings\":3,\"bias\":0,\"norm\":1,\"partition\":0}")
                .isEmpty());
    }

    /**
     * The fuzz test: 1,500 random requests (seed 4) never get a 5xx; every error is JSON whose status
     * field equals the HTTP status; every answer to a documented operation conforms to the contract.
     */
    @Test
    void fuzzedRequestsNeverGetA5xxAndErrorsAreAlwaysJson() throws Exception {
        ApiFuzz fuzz = new ApiFuzz(4);
        List<String> problems = new ArrayList<>();
        java.util.Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        for (int n = 0; n < 1500 && problems.size() < 20; n++) {
            ApiFuzz.Call c = fuzz.next();
            RawHttp.Response r = RawHttp.send(port, c.method(), c.target(), c.body());
            statuses.merge(r.status(), 1, Integer::sum);
            String what = c.method() + " " + c.target() + " (" + c.body().length + " body bytes) -> " + r.status();
            if (r.status() == 0) {
                // Only acceptable when the server refused an oversized body before reading it.
                if (!(r.writeFailed() && c.body().length > 64 << 10)) {
                    problems.add(what + ": no answer");
                }
                continue;
            }
            if (r.status() >= 500) {
                problems.add(what + ": " + r.body());
            }
            if (r.status() >= 400) {
                if (!r.contentType().startsWith("application/json")) {
                    problems.add(what + ": error with content type " + r.contentType() + ": " + r.body());
                } else if (new JsonObject(r.body()).getInteger("status") != r.status()) {
                    problems.add(what + ": status field differs: " + r.body());
                }
            }
            String path = c.target().split("\\?")[0];
            if (contract.template(path) != null && contract.operations().contains(c.method() + " " + contract.template(path))
                    && r.status() != 405) {
                for (String p : contract.check(c.method(), path, r.status(), r.contentType(), r.body())) {
                    problems.add(what + ": " + p);
                }
            }
        }
        System.out.println("fuzz statuses " + statuses);
        assertEquals(List.of(), problems);
    }

    @Test
    void recommendationsAreTheBruteForceTopKOfUnratedItems() {
        ReadOnlyKeyValueStore<Integer, byte[]> stats = service.streams().streams().store(StoreQueryParameters
                .fromNameAndType(Stores.USER_STATS, QueryableStoreTypes.keyValueStore()));
        ReadOnlyKeyValueStore<Bytes, byte[]> ratings = service.streams().streams().store(StoreQueryParameters
                .fromNameAndType(Stores.USER_RATINGS, QueryableStoreTypes.keyValueStore()));
        int d = service.streams().config().params().factors();
        for (int user : new int[] {1, 2, 7, 19, 68}) {
            float[] u = EntityState.decode(stats.get(user), d).factor();
            Set<Integer> rated = new HashSet<>();
            try (KeyValueIterator<Bytes, byte[]> it = ratings.range(Bytes.wrap(RatingKey.first(user)),
                    Bytes.wrap(RatingKey.last(user)))) {
                it.forEachRemaining(kv -> rated.add(RatingKey.item(kv.key.get())));
            }
            ItemFactorTable.Snapshot t = service.streams().live().items().snapshot();
            int k = 15;
            int minRatings = user % 2 == 0 ? 5 : 0;
            List<Integer> want = IntStream.range(0, t.size()).boxed()
                    .filter(r -> !rated.contains(t.ids()[r]) && t.counts()[r] >= minRatings)
                    .sorted((a, b) -> Double.compare(score(t, b, u, d), score(t, a, u, d)))
                    .limit(k).map(r -> t.ids()[r]).toList();
            JsonArray items = json(RunningService.get(port, "/users/" + user + "/recommendations?k=" + k
                    + "&minRatings=" + minRatings)).getJsonArray("items");
            List<Integer> got = IntStream.range(0, items.size()).mapToObj(i -> items.getJsonObject(i).getInteger("itemId"))
                    .toList();
            assertEquals(want, got, "user " + user);
        }
    }

    static double score(ItemFactorTable.Snapshot t, int row, float[] u, int d) {
        double s = t.data()[row * (d + 1) + d];
        for (int a = 0; a < d; a++) {
            s += (double) u[a] * t.data()[row * (d + 1) + a];
        }
        return s;
    }

    @Test
    void aPostedRatingChangesThatUsersNextRecommendations() throws Exception {
        int user = 3;
        JsonArray before = json(RunningService.get(port, "/users/" + user + "/recommendations?k=10")).getJsonArray("items");
        int top = before.getJsonObject(0).getInteger("itemId");
        long t0 = System.nanoTime();
        HttpResponse<String> posted = RunningService.post(port, "/ratings",
                "{\"userId\":" + user + ",\"itemId\":" + top + ",\"rating\":0.5}");
        assertEquals(202, posted.statusCode(), posted.body());
        RunningService.await(Duration.ofSeconds(20), () -> !json(RunningService.get(port, "/users/" + user
                + "/recommendations?k=10")).getJsonArray("items").getJsonObject(0).getInteger("itemId").equals(top),
                "the rated item to leave user " + user + "'s recommendations");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        JsonObject p = json(RunningService.get(port, "/users/" + user + "/items/" + top + "/prediction"));
        assertEquals(0.5, p.getDouble("rating"), 1e-6, "the stored rating is visible: " + p);
        System.out.println("fresh after " + ms + " ms");
    }

    @Test
    void theDummyUserWhoLovesOneFilmGetsOtherFilms() {
        JsonObject r = json(RunningService.post(port, "/recommendations?k=10&minRatings=10",
                "{\"ratings\":[{\"itemId\":1,\"rating\":5.0}]}"));
        JsonArray items = r.getJsonArray("items");
        assertEquals(10, items.size());
        for (int i = 0; i < items.size(); i++) {
            assertNotEquals(1, items.getJsonObject(i).getInteger("itemId"));
        }
        // Nothing stored: an anonymous query leaves no user behind.
        assertEquals(List.of(), r.getJsonArray("ignoredItems").getList());
    }

    @Test
    void errorsAreJsonWithTheirStatusAndHttpMetricsAreExported() {
        HttpResponse<String> r = RunningService.get(port, "/no/such/thing");
        assertEquals(404, r.statusCode());
        assertEquals(404, json(r).getInteger("status"));
        assertFalse(r.body().contains("Exception"));
        String metrics = RunningService.get(port, "/metrics").body();
        assertTrue(metrics.contains("foldin_http_request_seconds_bucket{route=\"/users/{userId}/recommendations\""),
                metrics);
        assertTrue(metrics.contains("foldin_events_per_second"));
        assertTrue(metrics.contains("foldin_fold_in_seconds"));
        for (String gauge : new String[] {"foldin_commit_latency_max_seconds", "foldin_poll_latency_max_seconds"}) {
            double v = metrics.lines().filter(l -> l.startsWith(gauge + " ")).mapToDouble(l -> Double.parseDouble(l.split(" ")[1]))
                    .findFirst().orElseThrow(() -> new AssertionError(gauge + " missing:\n" + metrics));
            assertTrue(v >= 0 && v < 60, gauge + " = " + v);
        }
    }
}
