package io.foldin.serve.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foldin.analysis.ItemModel;
import io.foldin.metrics.Metrics;
import io.foldin.model.AlsParams;
import io.foldin.report.ReportData;
import io.foldin.report.ReportPage;
import io.foldin.stream.live.ItemCatalog;
import io.foldin.stream.live.LiveModel;
import io.foldin.stream.live.ModelEpoch;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /report}'s input from a real {@link LiveModel}: the item table's rows, counts and prior rows, the
 * catalogue's titles and genres, the epoch's μ and features. (HttpApiTest checks the route against the OpenAPI
 * contract; ReportBrowserTest renders the same page in Chromium.)
 */
class LiveReportTest {
    @Test
    void theReportReadsTheItemTableCatalogueAndEpoch() {
        int d = 3;
        Map<String, float[]> features = Map.of("Adventure", new float[] {1, 0, 0}, "Animation", new float[] {0, 1, 0},
                "Horror", new float[] {0, 0, 2});
        LiveModel live = new LiveModel(d, ModelEpoch.initial(3.5, d), new Metrics());
        live.setEpoch(new ModelEpoch(2, 3.6, d, features, new ModelEpoch.SweepInfo(1, 2, 300, 0.9)));
        SplittableRandom rnd = new SplittableRandom(8);
        for (int id = 1; id <= 40; id++) {
            live.putCatalogItem(new ItemCatalog.Item(id, "Film " + id, id % 2 == 0 ? List.of("Horror")
                    : List.of("Adventure", "Animation")));
            if (id <= 30) {
                float[] row = new float[d + 1];
                for (int a = 0; a <= d; a++) {
                    row[a] = (float) rnd.nextGaussian();
                }
                live.items().put(id, 2, id * 3, row);
            }
        }
        AlsParams params = new AlsParams(d, 1, 15, 3);
        ReportData data = LiveReport.of(live, params, 10);
        ItemModel m = data.model();
        assertEquals(40, m.size(), "items with factors and prior rows");
        assertEquals(3.6, m.mu(), 1e-12);
        assertEquals(params, m.params());
        assertEquals(features.keySet(), m.features().keySet());
        int row = live.items().rowOf(7);
        assertEquals(7, m.ids()[row]);
        assertEquals("Film 7", m.titles()[row]);
        assertArrayEquals(new String[] {"Adventure", "Animation"}, m.genres()[row]);
        assertEquals(21, m.counts()[row]);
        float[] want = new float[d + 1];
        live.items().get(7, want, 0);
        assertEquals(want[d], m.bias(row), 0f);
        int prior = live.items().rowOf(36);
        assertEquals(0, m.counts()[prior], "a prior row has no ratings");
        assertEquals(2 / Math.sqrt(1), m.norm(prior), 1e-6, "its vector is the Horror prior mean");
        assertEquals(10, data.settings().minRatings());

        String html = ReportPage.render(data);
        assertTrue(html.contains("live model, epoch 2"));
        assertTrue(html.contains("300 ratings, holdout RMSE 0.9000"));
        assertEquals(5, html.split("<svg", -1).length - 1, "item power law, magnitudes, norms, map, bias");
    }
}
