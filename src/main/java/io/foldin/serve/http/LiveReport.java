package io.foldin.serve.http;

import io.foldin.analysis.ItemModel;
import io.foldin.model.AlsParams;
import io.foldin.report.ReportData;
import io.foldin.report.ReportPage;
import io.foldin.stream.live.ItemCatalog;
import io.foldin.stream.live.ItemFactorTable;
import io.foldin.stream.live.LiveModel;
import io.foldin.stream.live.ModelEpoch;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /report}: the report page ({@link ReportPage}) of the serving model: the item table's
 * {@code [V_i; b_i]} and rating counts, the catalogue's titles and genres, and the current epoch's μ and genre
 * features. The ratings themselves live in the partitioned stores, not in memory, so the rating histogram,
 * the users' power law, the convergence curve and the variances are left out (the page says so); the report
 * command has them.
 */
final class LiveReport {
    private LiveReport() {
    }

    /** The page's input, from one snapshot of the item table (copied: fold-in keeps writing it). */
    static ReportData of(LiveModel live, AlsParams params, int minRatings) {
        ItemFactorTable.Snapshot s = live.items().snapshot();
        int n = s.size();
        int stride = s.stride();
        int[] ids = Arrays.copyOf(s.ids(), n);
        int[] counts = Arrays.copyOf(s.counts(), n);
        float[] rows = Arrays.copyOf(s.data(), n * stride);
        String[] titles = new String[n];
        String[][] genres = new String[n][];
        for (int i = 0; i < n; i++) {
            ItemCatalog.Item item = live.catalog().get(ids[i]);
            titles[i] = item == null ? null : item.title();
            genres[i] = item == null ? new String[0] : item.genres().toArray(String[]::new);
        }
        ModelEpoch epoch = live.epoch();
        ItemModel model = new ItemModel(stride - 1, ids, titles, genres, rows, counts, epoch.mu(), params,
                epoch.features());
        Map<String, String> summary = new LinkedHashMap<>();
        summary.put("model epoch", Integer.toString(epoch.epoch()));
        summary.put("catalogue", String.format(Locale.ROOT, "%,d titles", live.catalog().size()));
        ReportPage.summarise(summary, model);
        ModelEpoch.SweepInfo sweep = epoch.sweep();
        if (sweep.finishedMs() > 0) {
            summary.put("last sweep", String.format(Locale.ROOT, "%,d ratings, holdout RMSE %.4f, %,d ms",
                    sweep.ratings(), sweep.holdoutRmse(), sweep.durationMs()));
        }
        return new ReportData("live model, epoch " + epoch.epoch(), summary, model, null, null, null,
                new ReportData.Settings(minRatings, -1, ReportData.Settings.DEFAULT_COLD_GENRES));
    }
}
