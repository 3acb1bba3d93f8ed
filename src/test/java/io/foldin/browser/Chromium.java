package io.foldin.browser;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real headless Chromium (or Chrome) for the page tests. {@link #require} skips a test on a developer machine
 * without one and fails it under {@code CI=true}, where {@code .ci/run} installs the Debian package, so the
 * browser tests never pass by skipping there.
 */
public final class Chromium {
    public static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome",
            "google-chrome-stable");

    private final String path;

    private Chromium(String path) {
        this.path = path;
    }

    /** The first browser on PATH, or null. */
    public static String find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String b : NAMES) {
                Path p = Path.of(dir, b);
                if (Files.isExecutable(p)) {
                    return p.toString();
                }
            }
        }
        return null;
    }

    /** The browser; a failure under CI=true and a skip elsewhere when there is none. */
    public static Chromium require() {
        String p = find();
        if (p == null) {
            String why = "no Chromium/Chrome on PATH (" + String.join(", ", NAMES) + "): apt-get install chromium";
            if ("true".equals(System.getenv("CI"))) {
                fail(why + "; CI must run the browser tests (.ci/run installs it)");
            }
            Assumptions.assumeTrue(false, why + " to run this test");
        }
        return new Chromium(p);
    }

    public String path() {
        return path;
    }

    /** The DOM after scripts ran ({@code --dump-dom}). */
    public String dumpDom(String url, Path scratch) throws Exception {
        return new String(run(scratch, List.of("--virtual-time-budget=10000", "--dump-dom", url)),
                StandardCharsets.UTF_8);
    }

    /** A PNG screenshot of the page at the given window size ({@code --screenshot}). */
    public Path screenshot(String url, Path png, int width, int height, Path scratch) throws Exception {
        run(scratch, List.of("--hide-scrollbars", "--window-size=" + width + "," + height, "--screenshot=" + png, url));
        assertTrue(Files.size(png) > 0, "no screenshot written");
        return png;
    }

    private byte[] run(Path scratch, List<String> args) throws Exception {
        Path profile = Files.createTempDirectory(scratch, "chromium");
        List<String> cmd = new ArrayList<>(List.of(path, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + profile));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish within 90 s");
        }
        return out;
    }
}
