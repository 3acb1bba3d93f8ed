package io.foldin.report;

import io.foldin.analysis.Histograms;
import io.foldin.analysis.ItemModel;
import java.util.List;
import java.util.Map;

/**
 * What a report shows: the item side of a model, and, where known, the ratings it was trained on, its
 * convergence curve and its posterior variances. The live service has the item side only (the ratings live in
 * the partitioned stores), so the other parts are null or empty there and the page says so.
 *
 * @param source   what the page is about (a file name, "live model epoch 3")
 * @param summary  label → value rows of the summary table, in order
 * @param ratings  the rating distribution, or null
 * @param curve    the convergence curve, or null
 * @param variance the posterior variance per entity, or null
 */
public record ReportData(String source, Map<String, String> summary, ItemModel model, Ratings ratings, Curve curve,
                         Variance variance, Settings settings) {

    /** @param perUser ratings of each user; {@code perItem} of each item */
    public record Ratings(Histograms.Bins histogram, int[] perUser, int[] perItem) {
    }

    /** Named series over the sweeps 1..n; {@code yLabel} names what they measure. */
    public record Curve(String yLabel, List<String> names, List<double[]> values) {
    }

    /**
     * {@code tr(S_VV)/D} per user and per item, and how it was obtained (the variational posterior, or each
     * entity's conditional posterior under the MAP model).
     */
    public record Variance(String method, double[] users, double[] items) {
    }

    /**
     * @param minRatings    items with fewer ratings are left out of the norm table, the map and the dummy user's
     *                      ranking (the seed uses 100 on ml-32m: a vector fitted to a handful of ratings is noise)
     * @param dummyItem     the item id the dummy user rates 5, or -1 for the default
     * @param coldGenres    the genres of the simulated cold-start item
     */
    public record Settings(int minRatings, int dummyItem, List<String> coldGenres) {
        public static final int DEFAULT_MIN_RATINGS = 50;
        public static final List<String> DEFAULT_COLD_GENRES = List.of("Adventure", "Animation");
        public static final Settings DEFAULT = new Settings(DEFAULT_MIN_RATINGS, -1, DEFAULT_COLD_GENRES);

        public Settings {
            if (minRatings < 0) {
                throw new IllegalArgumentException("minimum ratings must be >= 0, got " + minRatings);
            }
            coldGenres = List.copyOf(coldGenres);
        }
    }
}
