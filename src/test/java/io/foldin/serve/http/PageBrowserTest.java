package io.foldin.serve.http;

import io.foldin.serve.FoldinService;
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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    @BeforeAll
    static void start() throws Exception {
        browser = io.foldin.browser.Chromium.require().path();
        port = RunningService.freePort();
        service = FoldinService.start(RunningService.config(dir, null, port));
        assertTrue(service.streams().awaitRunning(Duration.ofMinutes(2)));
        int n = RunningService.produceSample(service.brokers(), 20);
        RunningService.awaitFoldedIn(n, service);
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

    /** The DOM after scripts ran, from {@code chromium --headless --dump-dom}. */
    static String dumpDom(String url) throws Exception {
        Path profile = Files.createTempDirectory(dir, "chromium");
        Process p = new ProcessBuilder(browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--user-data-dir=" + profile, "--virtual-time-budget=10000", "--dump-dom", url)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "chromium did not finish");
        return new String(out, StandardCharsets.UTF_8);
    }
}
