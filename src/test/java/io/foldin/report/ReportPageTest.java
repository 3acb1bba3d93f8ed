package io.foldin.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foldin.analysis.Histograms;
import io.foldin.analysis.ItemModel;
import io.foldin.analysis.Models;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportPageTest {
    /** The live page's input: no ratings, curve or variances; those sections say why they are missing. */
    @Test
    void aPageWithoutRatingsMarksWhatItCannotShowAndEscapesTitles() {
        ItemModel m = Models.random(300, 5, 21);
        m.titles()[7] = "<script>alert('x')</script> & \"Co\"";
        Map<String, String> summary = new LinkedHashMap<>();
        ReportPage.summarise(summary, m);
        String html = ReportPage.render(new ReportData("live <model>", summary, m, null, null, null,
                new ReportData.Settings(0, m.ids()[7], List.of("Adventure", "Animation"))));
        assertFalse(html.contains("<script>"), "titles are escaped");
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Co&quot;"));
        assertTrue(html.contains("foldin report: live &lt;model&gt;"));
        assertTrue(html.contains("Not shown: the live model keeps no ratings in memory"));
        assertTrue(html.contains("Not shown: needs each item&#39;s Gram statistics"));
        // item power law, genre magnitudes, norms, map, bias by rank
        assertEquals(5, SvgChartTest.count(html, "<svg"));
        assertEquals(5, SvgChartTest.count(html, "</svg>"));
        assertTrue(html.contains("rates <b>&lt;script&gt;"), "the dummy user rates the item asked for");
    }

    @Test
    void aPageWithEverythingHasTenPlots() {
        ItemModel m = Models.random(200, 3, 22);
        int[] perUser = {50, 20, 10, 5, 3, 2, 1, 1, 1, 1};
        ReportData.Ratings ratings = new ReportData.Ratings(Histograms.halfStars(new float[] {1, 2, 4.5f}, 3),
                perUser, m.counts());
        ReportData.Curve curve = new ReportData.Curve("RMSE", List.of("train RMSE", "test RMSE"),
                List.of(new double[] {1.0, 0.9}, new double[] {1.1, 1.0}));
        ReportData.Variance v = new ReportData.Variance("test", new double[] {0.1, 0.2}, new double[] {0.3, 0.05});
        String html = ReportPage.render(new ReportData("all", new LinkedHashMap<>(), m, ratings, curve, v,
                ReportData.Settings.DEFAULT));
        assertEquals(10, SvgChartTest.count(html, "<svg"));
        assertFalse(html.contains("Not shown"));
    }

    @Test
    void anUnknownDummyItemIsAClearError() {
        ItemModel m = Models.random(10, 2, 23);
        var e = assertThrows(IllegalArgumentException.class, () -> DummyItems.pick(m, 5));
        assertTrue(e.getMessage().contains("item 5 is not in the model"));
    }
}
