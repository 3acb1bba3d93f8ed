package io.foldin.serve.http;

import io.foldin.experiment.Assignment;
import io.foldin.experiment.Experiment;
import io.foldin.serve.FoldinService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The experiment endpoints over a real port, against the OpenAPI contract: definitions from the
 * {@code experiments} file and over HTTP (admin token, 400 for options that do not exist), variants
 * applied to recommendations with the assignment of {@link Assignment}, exposures and ratings through
 * Kafka into the readout, and the definitions still there after a restart on the same broker data.
 */
class ExperimentHttpTest {
    static final String TOKEN = "test-token";
    static final String AB = "{\"name\":\"ab\",\"traffic\":1,\"variants\":[{\"name\":\"control\",\"weight\":1},"
            + "{\"name\":\"flat\",\"weight\":1,\"ranking\":{\"biasWeight\":0,\"genreBoost\":true}}]}";

    @TempDir
    Path dir;

    static HttpResponse<String> call(int port, String method, String path, String body, boolean token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("content-type", "application/json");
        }
        if (token) {
            b.header("authorization", "Bearer " + TOKEN);
        }
        return RunningService.send(b.build());
    }

    @Test
    void defineServeMeasureReadOutDeleteAndSurviveARestart() throws Exception {
        OpenApiContract contract = new OpenApiContract();
        List<String> problems = new ArrayList<>();
        Path file = dir.resolve("experiments.json");
        Files.writeString(file, "[{\"name\":\"from-file\",\"traffic\":0.5,\"variants\":[{\"name\":\"a\"},{\"name\":\"b\","
                + "\"ranking\":{\"minRatings\":3}}]}]");
        int port = RunningService.freePort();
        var config = RunningService.config(dir, null, port, Map.of("admin.token", TOKEN, "experiments", file.toString()));
        try (FoldinService s = FoldinService.start(config)) {
            assertTrue(s.streams().awaitRunning(Duration.ofMinutes(2)));
            int n = RunningService.produceSample(s.brokers(), 40);
            RunningService.awaitFoldedIn(n, s);
            s.streams().sweeps().requestSweep(3, false).get(2, TimeUnit.MINUTES);

            RunningService.await(Duration.ofSeconds(30), () -> s.streams().live().experiments().get("from-file") != null,
                    "the file's experiment");
            HttpResponse<String> r = call(port, "POST", "/experiments", AB, false);
            problems.addAll(contract.check("POST", "/experiments", r));
            assertEquals(401, r.statusCode());
            r = call(port, "POST", "/experiments", AB.replace("\"genreBoost\":true", "\"model\":\"implicit\""), true);
            problems.addAll(contract.check("POST", "/experiments", r));
            assertEquals(400, r.statusCode());
            assertEquals("unsupported_variant_option", new JsonObject(r.body()).getString("error"));
            r = call(port, "POST", "/experiments", AB, true);
            problems.addAll(contract.check("POST", "/experiments", r));
            assertEquals(201, r.statusCode(), r.body());
            r = call(port, "GET", "/experiments", null, false);
            problems.addAll(contract.check("GET", "/experiments", r));
            assertEquals(2, new JsonObject(r.body()).getJsonArray("experiments").size());

            Experiment ab = s.streams().live().experiments().get("ab");
            int posted = 0;
            for (int user = 1; user <= 40; user++) {
                r = call(port, "GET", "/users/" + user + "/recommendations?k=3", null, false);
                problems.addAll(contract.check("GET", "/users/{userId}/recommendations", r));
                JsonObject body = new JsonObject(r.body());
                JsonArray served = body.getJsonArray("experiments");
                JsonObject mine = served.stream().map(o -> (JsonObject) o)
                        .filter(o -> o.getString("experiment").equals("ab")).findFirst().orElseThrow();
                String variant = Assignment.variant(ab, user).name();
                assertEquals(variant, mine.getString("variant"));
                // "ab" comes before "from-file": its biasWeight and genre boost win
                assertEquals(variant.equals("flat") ? 0f : Params.DEFAULT_BIAS_WEIGHT, body.getJsonObject("query").getFloat("biasWeight"));
                assertEquals(variant.equals("flat"), body.getJsonObject("query").getBoolean("genreBoost"));
                int item = body.getJsonArray("items").getJsonObject(0).getInteger("itemId");
                r = RunningService.post(port, "/ratings", "{\"userId\":" + user + ",\"itemId\":" + item + ",\"rating\":"
                        + (variant.equals("flat") ? 2 : 4) + "}");
                assertEquals(202, r.statusCode(), r.body());
                posted++;
            }
            int expected = posted;
            RunningService.await(Duration.ofSeconds(60), () -> {
                JsonArray vs = new JsonObject(call(port, "GET", "/experiments/ab", null, false).body())
                        .getJsonArray("variants");
                return vs.getJsonObject(0).getLong("outcomeRatings") + vs.getJsonObject(1).getLong("outcomeRatings") == expected;
            }, "every outcome in the readout");
            r = call(port, "GET", "/experiments/ab", null, false);
            problems.addAll(contract.check("GET", "/experiments/{name}", r));
            JsonObject out = new JsonObject(r.body());
            JsonObject control = out.getJsonArray("variants").getJsonObject(0);
            JsonObject flat = out.getJsonArray("variants").getJsonObject(1);
            assertEquals(40, control.getLong("users") + flat.getLong("users"));
            assertEquals(4.0, control.getDouble("outcomeMean"), 1e-9);
            assertEquals(2.0, flat.getDouble("outcomeMean"), 1e-9);
            assertEquals(1.0, flat.getDouble("conversion"), 1e-9);
            assertEquals(0.0, flat.getJsonObject("vsControl").getJsonObject("conversion").getDouble("diff"), 1e-9);
            assertEquals(-2.0, flat.getJsonObject("vsControl").getJsonObject("outcome").getDouble("diff"), 1e-9);
            assertEquals(false, out.getJsonObject("sampleRatio").getBoolean("mismatch"));

            r = call(port, "GET", "/experiments/nope", null, false);
            problems.addAll(contract.check("GET", "/experiments/{name}", r));
            assertEquals(404, r.statusCode());
            r = call(port, "DELETE", "/experiments/from-file", null, false);
            problems.addAll(contract.check("DELETE", "/experiments/{name}", r));
            assertEquals(401, r.statusCode());
            r = call(port, "DELETE", "/experiments/from-file", null, true);
            problems.addAll(contract.check("DELETE", "/experiments/{name}", r));
            assertEquals(200, r.statusCode());
            assertEquals(404, call(port, "GET", "/experiments/from-file", null, false).statusCode());
        }
        assertEquals(List.of(), problems);

        // A restart on the same broker data and state, without the file: the HTTP definition is still there.
        var again = RunningService.config(dir, null, port, Map.of("admin.token", TOKEN,
                "kafka.port", config.settings().get("kafka.port"), "kafka.data.dir", config.settings().get("kafka.data.dir")));
        try (FoldinService s = FoldinService.start(again)) {
            assertTrue(s.streams().awaitRunning(Duration.ofMinutes(2)));
            RunningService.await(Duration.ofSeconds(30), () -> s.streams().live().experiments().get("ab") != null,
                    "the experiment after a restart");
            JsonObject out = new JsonObject(call(port, "GET", "/experiments/ab", null, false).body());
            assertEquals(40, out.getJsonArray("variants").getJsonObject(0).getLong("users")
                    + out.getJsonArray("variants").getJsonObject(1).getLong("users"));
            assertEquals(404, call(port, "GET", "/experiments/from-file", null, false).statusCode());
        }
    }
}
