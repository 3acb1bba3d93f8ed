package io.foldin.serve.http;

import io.foldin.data.RatingLog;
import io.foldin.serve.FoldinService;
import io.foldin.serve.SampleData;
import io.foldin.stream.kafka.Topics;
import io.foldin.stream.replay.ReplayConfig;
import io.foldin.stream.replay.ReplayReport;
import io.foldin.stream.replay.Replayer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The page in a real headless Chromium: it loads, polls /stats, and shows the recommendations of
 * the user chosen with {@code ?user=} (the same code path as the form). Without Chromium or Chrome it is
 * skipped on a developer machine and fails under {@code CI=true} ({@code .ci/run} installs it).
 */
class PageBrowserTest {
    @TempDir
    static Path dir;
    static String browser;
    static FoldinService service;
    static int port;
    static long initial;

    @BeforeAll
    static void start() throws Exception {
        browser = io.foldin.browser.Chromium.require().path();
        port = RunningService.freePort();
        service = FoldinService.start(RunningService.config(dir, null, port));
        assertTrue(service.streams().awaitRunning(Duration.ofMinutes(2)));
        initial = RunningService.produceSample(service.brokers(), 20);
        RunningService.awaitFoldedIn(initial, service);
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void thePageShowsTheServiceAndRecommendationsForAChosenUser() throws Exception {
        String dom = dumpDom("http://127.0.0.1:" + port + "/?user=1");
        assertTrue(dom.contains("recommendations for user 1"), dom);
        Matcher rows = Pattern.compile("<tr class=\"rec\" data-item-id=\"(\\d+)\">").matcher(dom);
        List<Integer> shown = new ArrayList<>();
        while (rows.find()) {
            shown.add(Integer.parseInt(rows.group(1)));
        }
        var api = new io.vertx.core.json.JsonObject(RunningService.get(port, "/users/1/recommendations?k=10").body())
                .getJsonArray("items");
        List<Integer> want = new ArrayList<>();
        for (int i = 0; i < api.size(); i++) {
            want.add(api.getJsonObject(i).getInteger("itemId"));
        }
        assertEquals(want, shown, "the page lists the API's recommendations");
        // Titles come from the catalogue, and the live summary was filled in from /stats.
        String firstTitle = api.getJsonObject(0).getString("title");
        assertTrue(dom.contains(firstTitle.replace("&", "&amp;")), firstTitle);
        assertTrue(Pattern.compile("id=\"s-ready\">yes<").matcher(dom).find(), dom);
    }

    /**
     * Beside the recommendations: the user's history ({@code GET /users/1/ratings}), the "I love this film"
     * flow ({@code ?love=} films folded into an anonymous user, {@code POST /recommendations}) and the
     * similar items of a chosen one ({@code ?similar=}), each as the API answers it.
     */
    @Test
    void historyLovedFilmsAndSimilarItemsAreTheApis() throws Exception {
        String dom = dumpDom("http://127.0.0.1:" + port + "/?user=1&love=296,318&similar=1");
        JsonObject hist = new JsonObject(RunningService.get(port, "/users/1/ratings?k=20").body());
        assertEquals(ids(hist.getJsonArray("items")), rows(dom, "hist"), "the page lists the user's latest ratings");
        assertTrue(dom.contains("user 1 rated " + hist.getInteger("count") + " films"), dom);
        JsonObject anon = new JsonObject(RunningService.post(port, "/recommendations?k=10",
                "{\"ratings\":[{\"itemId\":296,\"rating\":5},{\"itemId\":318,\"rating\":5}]}").body());
        List<Integer> anonIds = ids(anon.getJsonArray("items"));
        assertEquals(10, anonIds.size());
        assertEquals(anonIds, rows(dom, "anon"), "the loved films' anonymous recommendations");
        assertTrue(dom.contains("for someone who loves 2 films"), dom);
        JsonObject sim = new JsonObject(RunningService.get(port, "/items/1/similar?k=10").body());
        assertEquals(ids(sim.getJsonArray("items")), rows(dom, "sim"), "the similar items of item 1");
        assertTrue(!rows(dom, "sim").isEmpty(), dom);
        // predicted ratings are clipped, the model's r̂ beside them is not: user 1's top items lie above 5
        assertTrue(dom.contains("model r̂"), dom);
    }

    /**
     * The charts move while {@code replay}'s classes produce ratings: the page, loaded twice a few seconds
     * apart, draws more samples the second time, its latest sample is a later one of the service's series,
     * and the values it draws are those the service gave for that sample.
     */
    @Test
    void theChartsUpdateWhileReplayRuns() throws Exception {
        service.streams().sweeps().requestSweep(2, false).get(2, TimeUnit.MINUTES); // a point on the RMSE chart
        RatingLog all = SampleData.ratings();
        RatingLog later = new RatingLog();
        for (int k = 0; k < all.size(); k++) {
            int user = all.users().idOf(all.user(k));
            if (user > 20) { // ~97k events: it runs past the test, which stops it
                later.add(user, all.items().idOf(all.item(k)), all.rating(k), all.time(k));
            }
        }
        Replayer replayer = new Replayer(new ReplayConfig(service.brokers(), Topics.RATINGS, 400, 0, Map.of(),
                ReplayConfig.DEFAULT_DELIVERY_TIMEOUT));
        long before = service.metrics().total("foldin_events_total");
        CompletableFuture<ReplayReport> replay = CompletableFuture.supplyAsync(
                () -> replayer.run(later, later.timeOrder(), Replayer.Listener.NONE));
        try {
            RunningService.await(Duration.ofSeconds(60), () -> service.metrics().total("foldin_events_total") > before + 500,
                    "the replay's first events folded in");
            Map<String, String> first = chart(dumpDom("http://127.0.0.1:" + port + "/", 3000), "chart-rate");
            Thread.sleep(3000);
            String dom = dumpDom("http://127.0.0.1:" + port + "/", 3000);
            assertFalse(replay.isDone(), "the replay still runs (it is stopped below)");
            Map<String, String> second = chart(dom, "chart-rate");
            long seq1 = Long.parseLong(first.get("data-last-seq"));
            long seq2 = Long.parseLong(second.get("data-last-seq"));
            assertTrue(seq2 >= seq1 + 2, "later samples the second time: " + seq1 + " then " + seq2);
            int points = Integer.parseInt(second.get("data-points"));
            assertTrue(points > Integer.parseInt(first.get("data-points")) || points == LiveSeries.CAPACITY,
                    first + " then " + second);
            JsonArray series = new JsonObject(RunningService.get(port, "/stats").body()).getJsonArray("series");
            JsonObject drawn = null;
            double fastest = 0;
            for (int i = 0; i < series.size(); i++) {
                JsonObject s = series.getJsonObject(i);
                if (s.getLong("seq") == seq2) {
                    drawn = s;
                }
                if (s.getLong("seq") > seq1 && s.getLong("seq") <= seq2 && s.getDouble("eventsPerSecond") != null) {
                    fastest = Math.max(fastest, s.getDouble("eventsPerSecond"));
                }
            }
            assertTrue(drawn != null, "sample " + seq2 + " is in the service's series " + series);
            assertEquals(drawn.getDouble("eventsPerSecond"), Double.parseDouble(second.get("data-last")), 1e-9);
            assertTrue(fastest > 0, "events flowed between the two loads: " + series);
            assertEquals(second.get("data-points"), Long.toString(Math.min(LiveSeries.CAPACITY, seq2 + 1)),
                    "every kept sample is drawn");
            Map<String, String> fresh = chart(dom, "chart-fresh");
            assertEquals(Long.toString(seq2), fresh.get("data-last-seq"));
            if (drawn.getValue("freshnessP50") != null) {
                assertEquals(drawn.getDouble("freshnessP50"), Double.parseDouble(fresh.get("data-last")), 1e-9);
            }
            Map<String, String> lag = chart(dom, "chart-lag");
            assertEquals(Long.toString(seq2), lag.get("data-last-seq"));
            Map<String, String> rmse = chart(dom, "chart-rmse");
            int epoch = service.streams().live().epoch().epoch();
            assertTrue(epoch >= 1 && Integer.parseInt(rmse.get("data-points")) >= 1, rmse.toString());
            assertEquals(service.streams().live().epoch().sweep().holdoutRmse(), Double.parseDouble(rmse.get("data-last")),
                    1e-6, "the RMSE of the latest sweep");
            assertTrue(Pattern.compile("<svg id=\"chart-rate\"[^>]*>.*?<polyline points=\"[0-9.]+,[0-9.]+ [0-9.]+,",
                    Pattern.DOTALL).matcher(dom).find(), "the events/s line has points");
        } finally {
            replayer.stop();
            ReplayReport r = replay.get(1, TimeUnit.MINUTES);
            // what the replay delivered is folded in before the next test compares the page with the API
            RunningService.awaitFoldedIn(initial + r.delivered(), service);
        }
    }

    /**
     * Experiment readouts: each variant of each experiment, with its users and exposures as {@code GET
     * /experiments/{name}} reads them out. The variants rank alike, so the other tests' pages do not change.
     */
    @Test
    void experimentReadoutsShowEachVariant() throws Exception {
        String token = Files.readString(service.config().stream().stateDir().resolve("admin.token")).trim();
        var define = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/experiments"))
                .header("content-type", "application/json").header("authorization", "Bearer " + token)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"page-ab\",\"traffic\":1,\"variants\":"
                        + "[{\"name\":\"control\",\"weight\":1},{\"name\":\"same\",\"weight\":1,\"ranking\":{\"minRatings\":0}}]}"))
                .build();
        var r = RunningService.send(define);
        assertEquals(201, r.statusCode(), r.body());
        RunningService.await(Duration.ofSeconds(30), () -> service.streams().live().experiments().get("page-ab") != null,
                "the definition in the global table");
        for (int user = 2; user <= 11; user++) {
            assertEquals(200, RunningService.get(port, "/users/" + user + "/recommendations?k=3").statusCode());
        }
        RunningService.await(Duration.ofSeconds(60), () -> {
            JsonArray vs = new JsonObject(RunningService.get(port, "/experiments/page-ab").body()).getJsonArray("variants");
            return vs.getJsonObject(0).getLong("users") + vs.getJsonObject(1).getLong("users") == 10;
        }, "ten users in the readout");
        String dom = dumpDom("http://127.0.0.1:" + port + "/", 3000);
        JsonArray variants = new JsonObject(RunningService.get(port, "/experiments/page-ab").body()).getJsonArray("variants");
        for (int v = 0; v < 2; v++) {
            JsonObject variant = variants.getJsonObject(v);
            String cells = "<tr class=\"exp\"><td>page-ab</td><td>" + variant.getString("name") + "</td><td>"
                    + variant.getLong("users") + "</td><td>" + variant.getLong("exposures") + "</td>";
            assertTrue(dom.contains(cells), cells + " in " + dom);
        }
        assertTrue(dom.contains("<td>control</td><td></td><td></td></tr>"), "the first variant is the control");
        assertTrue(dom.contains("no outcomes yet"), "the other one has no outcome ratings yet");
    }

    /** Item ids of the table rows {@code <tr class="CLS" data-item-id="ID">}, in order. */
    static List<Integer> rows(String dom, String cls) {
        Matcher m = Pattern.compile("<tr class=\"" + cls + "\" data-item-id=\"(\\d+)\">").matcher(dom);
        List<Integer> out = new ArrayList<>();
        while (m.find()) {
            out.add(Integer.parseInt(m.group(1)));
        }
        return out;
    }

    static List<Integer> ids(JsonArray items) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            out.add(items.getJsonObject(i).getInteger("itemId"));
        }
        return out;
    }

    /** The attributes of the chart's {@code <svg>} element. */
    static Map<String, String> chart(String dom, String id) {
        Matcher tag = Pattern.compile("<svg id=\"" + id + "\"([^>]*)>").matcher(dom);
        assertTrue(tag.find(), "chart " + id + " in " + dom);
        Map<String, String> attrs = new java.util.HashMap<>();
        Matcher a = Pattern.compile("([\\w-]+)=\"([^\"]*)\"").matcher(tag.group(1));
        while (a.find()) {
            attrs.put(a.group(1), a.group(2));
        }
        return attrs;
    }

    /** The DOM after scripts ran, from {@code chromium --headless --dump-dom}. */
    static String dumpDom(String url) throws Exception {
        return dumpDom(url, 10000);
    }

    /** The same, with a budget of virtual time for the page's scripts, timers and fetches. */
    static String dumpDom(String url, int virtualMs) throws Exception {
        Path profile = Files.createTempDirectory(dir, "chromium");
        Process p = new ProcessBuilder(browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--user-data-dir=" + profile, "--virtual-time-budget=" + virtualMs, "--dump-dom", url)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "chromium did not finish");
        return new String(out, StandardCharsets.UTF_8);
    }
}
