package io.foldin.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foldin.browser.Chromium;
import io.foldin.cli.Main;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #21's "done": {@code foldin report} on the bundled ml-latest-small (D = 4, 3 sweeps, to keep it short),
 * rendered by a real headless Chromium: at least 6 SVG plots, each with its two axes, axis labels and data
 * elements, and a screenshot that is not blank.
 */
class ReportBrowserTest {
    static final Path DATA = Path.of("src/main/resources/ml-latest-small");

    @TempDir
    Path dir;

    @Test
    void theReportOfMlLatestSmallRendersItsPlotsInChromium() throws Exception {
        Chromium chromium = Chromium.require();
        Path out = dir.resolve("report.html");
        int code = Main.run("report", "--ratings", DATA.resolve("ratings.csv").toString(), "--movies",
                DATA.resolve("movies.csv").toString(), "--factors", "4", "--iterations", "3", "--threads", "2",
                "--out", out.toString());
        assertEquals(0, code);
        String html = Files.readString(out, StandardCharsets.UTF_8);
        assertFalse(html.contains("<script"), "no script");
        assertFalse(Pattern.compile("(src|href)=\"(https?:)?//").matcher(html).find(), "nothing from the network");

        String dom = chromium.dumpDom(out.toUri().toString(), dir);
        List<String> svgs = new ArrayList<>();
        Matcher m = Pattern.compile("<svg[^>]*>.*?</svg>", Pattern.DOTALL).matcher(dom);
        while (m.find()) {
            svgs.add(m.group());
        }
        assertTrue(svgs.size() >= 6, svgs.size() + " plots in the rendered page");
        for (String svg : svgs) {
            String title = svg.replaceAll("(?s).*?<title>(.*?)</title>.*", "$1");
            assertEquals(2, SvgChartTest.count(svg, "class=\"axis\""), title + ": two axes");
            assertEquals(2, SvgChartTest.count(svg, "class=\"axis-label\""), title + ": two axis labels");
            assertTrue(SvgChartTest.count(svg, "class=\"tick\"") >= 2, title + ": ticks");
            assertTrue(SvgChartTest.count(svg, "class=\"data\"") >= 2, title + ": data");
        }
        assertTrue(dom.contains("Lord of the Rings"), "the dummy user rates the seed's film");

        Path png = chromium.screenshot(out.toUri().toString(), dir.resolve("report.png"), 1400, 2400, dir);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(1400, img.getWidth());
        int background = img.getRGB(img.getWidth() - 2, img.getHeight() - 2);
        long differ = 0;
        long coloured = 0;
        double sum = 0;
        double sumSq = 0;
        long n = (long) img.getWidth() * img.getHeight();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                int r = rgb >> 16 & 0xff;
                int g = rgb >> 8 & 0xff;
                int b = rgb & 0xff;
                double lum = 0.299 * r + 0.587 * g + 0.114 * b;
                sum += lum;
                sumSq += lum * lum;
                differ += rgb != background ? 1 : 0;
                // the palette's blue bars and points: not grey
                coloured += Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60 ? 1 : 0;
            }
        }
        double variance = sumSq / n - (sum / n) * (sum / n);
        assertTrue(differ > n / 50, "non-background pixels: " + differ + " of " + n);
        assertTrue(coloured > n / 200, "coloured (data) pixels: " + coloured + " of " + n);
        assertTrue(variance > 100, "luminance variance " + variance);
    }
}
