package io.foldin.serve.http;

import io.foldin.serve.FoldinService;
import io.foldin.serve.ServiceConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue #16: {@code GET /health/ready} on a real service before and after its first model, and the
 * early first sweep ({@code sweep.first.after.ratings}) firing with timed sweeps off.
 */
class ReadinessTest {
    @TempDir
    Path dir;

    static JsonObject ready(int port) {
        return new JsonObject(RunningService.get(port, "/health/ready").body());
    }

    /**
     * Fewer ratings than the threshold: ready, fold-in only, epoch 0. At the threshold the first sweep
     * runs although timed sweeps are off ({@code sweep.every.ms=0}); then ready with the model.
     */
    @Test
    void readyWithoutAModelBelowTheThresholdAndWithTheModelAfterTheEarlyFirstSweep() throws Exception {
        int port = RunningService.freePort();
        Map<String, String> f = new LinkedHashMap<>(RunningService.config(dir, null, port).settings());
        f.put("sweep.first.after.ratings", "1000");
        f.put("admin.token", "configured-secret");
        try (FoldinService s = FoldinService.start(ServiceConfig.load(null, Map.of(), f))) {
            assertTrue(s.streams().awaitRunning(Duration.ofMinutes(2)));
            RunningService.await(Duration.ofSeconds(30), () -> RunningService.get(port, "/health/ready").statusCode() == 200,
                    "ready");
            JsonObject r = ready(port);
            assertEquals("no_model_yet", r.getString("reason"), r.encode());
            assertEquals(0, r.getInteger("epoch"));
            assertEquals(1000, r.getInteger("firstSweepAfterRatings"));
            assertTrue(!java.nio.file.Files.exists(s.config().stream().stateDir().resolve("admin.token")));

            int n = RunningService.produceSample(s.brokers(), 10); // users 1..10: about 1,500 ratings
            assertTrue(n >= 1000, n + " ratings");
            RunningService.await(Duration.ofMinutes(2), () -> s.streams().live().epoch().epoch() >= 1,
                    "the early first sweep");
            RunningService.await(Duration.ofSeconds(30), () -> "model".equals(ready(port).getString("reason")),
                    "ready with the model");
            HttpResponse<String> ok = RunningService.get(port, "/health/ready");
            assertEquals(200, ok.statusCode(), ok.body());
            assertTrue(new JsonObject(ok.body()).getInteger("epoch") >= 1);
            assertTrue(s.streams().live().epoch().sweep().ratings() >= 1000,
                    "the first sweep ran at the threshold, over at least that many ratings");
            assertEquals(202, RunningService.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + "/admin/sweep"))
                    .header("authorization", "Bearer configured-secret")
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build()).statusCode());
        }
    }

    /**
     * With the bundled sample loading, not ready (503, with a reason) until it is in and swept; once
     * ready, the README's first curl answers.
     */
    @Test
    void notReadyUntilTheSampleIsInAndSwept() throws Exception {
        int port = RunningService.freePort();
        Map<String, String> f = new LinkedHashMap<>(RunningService.config(dir, null, port).settings());
        f.put("sample.load", "true");
        f.put("sample.sweep.iterations", "3");
        try (FoldinService s = FoldinService.start(ServiceConfig.load(null, Map.of(), f))) {
            HttpResponse<String> first = RunningService.get(port, "/health/ready");
            assertEquals(503, first.statusCode(), first.body());
            String reason = new JsonObject(first.body()).getString("reason");
            assertTrue(reason.equals("streams_not_running") || reason.equals("sample_loading"), reason);
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            HttpResponse<String> r;
            while ((r = RunningService.get(port, "/health/ready")).statusCode() != 200) {
                assertEquals(503, r.statusCode(), r.body());
                assertTrue(System.nanoTime() < deadline, "not ready in time: " + r.body());
                Thread.sleep(200);
            }
            JsonObject body = new JsonObject(r.body());
            assertEquals("model", body.getString("reason"), body.encode());
            assertEquals("swept", body.getString("sample"));
            assertEquals(SampleStatus.State.SWEPT, sampleState(s));
            HttpResponse<String> recs = RunningService.get(port, "/users/1/recommendations?k=5");
            assertEquals(200, recs.statusCode(), recs.body());
        }
    }

    static SampleStatus.State sampleState(FoldinService s) {
        return SampleStatus.State.valueOf(ready(s.config().httpPort()).getString("sample").toUpperCase());
    }
}
