package io.foldin.report;

import io.foldin.analysis.Histograms;
import io.foldin.analysis.ItemModel;
import io.foldin.analysis.PosteriorVariance;
import io.foldin.data.Catalog;
import io.foldin.data.IdIndex;
import io.foldin.data.RatingLog;
import io.foldin.data.RatingMatrix;
import io.foldin.data.Split;
import io.foldin.eval.Evaluation;
import io.foldin.eval.ModelKind;
import io.foldin.model.FactorModel;
import io.foldin.model.GenrePrior;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of a ratings file: trains the model by {@link Evaluation#run} (the genre-prior MAP model, or the
 * variational one) on a split of the ratings, and gathers every analysis's input.
 *
 * <p>The variational model has no genre prior; its genre features are fitted afterwards to its item means by
 * the prior's own coordinate update (seed 003 eq. 25, {@link GenrePrior#update}), {@link #FEATURE_PASSES}
 * passes from the usual start, so Table 4 and 5 can be read off it too.
 */
public final class OfflineReport {
    /** Coordinate passes of the post-hoc genre feature fit of the variational model. */
    static final int FEATURE_PASSES = 20;

    private OfflineReport() {
    }

    /** @param model {@link ModelKind#GENRE_PRIOR} or {@link ModelKind#VARIATIONAL} */
    public static ReportData build(String source, RatingLog all, Split.TrainTest tt, Catalog catalog,
                                   Evaluation.Options options, ReportData.Settings settings,
                                   Evaluation.Listener listener) {
        ModelKind kind = options.model();
        if (kind != ModelKind.GENRE_PRIOR && kind != ModelKind.VARIATIONAL) {
            throw new IllegalArgumentException("the report trains the genre-prior or the variational model, not " + kind);
        }
        IdIndex items = all.items();
        int[][] genres = catalog.genresByIndex(items);
        int numGenres = catalog.genreNames().size();
        Evaluation.Result r = Evaluation.run(tt.train(), tt.test(), genres, numGenres, options, listener);
        FactorModel fm = r.model();
        int d = fm.params().factors();
        int n = fm.items().count();
        RatingMatrix matrix = RatingMatrix.of(tt.train(), fm.users().count(), n);

        GenrePrior prior = fm.genrePrior();
        if (prior == null) {
            prior = new GenrePrior(d, numGenres, genres);
            prior.initialise(options.seed());
            for (int p = 0; p < FEATURE_PASSES; p++) {
                prior.update(fm.items());
            }
        }
        Map<String, float[]> features = new LinkedHashMap<>();
        for (int k = 0; k < numGenres; k++) {
            features.put(catalog.genreNames().get(k), prior.feature(k));
        }
        int[] ids = new int[n];
        String[] titles = new String[n];
        String[][] names = new String[n][];
        int[] counts = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = items.idOf(i);
            titles[i] = catalog.title(ids[i]);
            names[i] = genreNames(catalog, genres[i]);
            counts[i] = matrix.itemCount(i);
        }
        ItemModel model = new ItemModel(d, ids, titles, names, fm.items().data(), counts, fm.mu(),
                r.variational() != null ? r.variational().params() : fm.params(), features);

        ReportData.Variance variance = r.variational() != null
                ? new ReportData.Variance("the variational posterior's covariance",
                        PosteriorVariance.of(r.variational().users()), PosteriorVariance.of(r.variational().items()))
                : new ReportData.Variance("S = (λG + diag(τ,…,τ,γ))⁻¹ of each entity with the other side fixed",
                        PosteriorVariance.conditional(matrix.byUser(), fm.items(), fm.params(), fm.mu()),
                        PosteriorVariance.conditional(matrix.byItem(), fm.users(), fm.params(), fm.mu()));

        int[] perUser = new int[all.users().size()];
        int[] perItem = new int[items.size()];
        float[] values = new float[all.size()];
        for (int k = 0; k < all.size(); k++) {
            perUser[all.user(k)]++;
            perItem[all.item(k)]++;
            values[k] = all.rating(k);
        }
        ReportData.Ratings ratings = new ReportData.Ratings(Histograms.halfStars(values, values.length), perUser,
                perItem);

        List<Evaluation.Sweep> curve = r.curve();
        ReportData.Curve c = new ReportData.Curve("RMSE", List.of("train RMSE", "test RMSE"), List.of(
                curve.stream().mapToDouble(Evaluation.Sweep::trainRmse).toArray(),
                curve.stream().mapToDouble(Evaluation.Sweep::testRmse).toArray()));

        Map<String, String> summary = new LinkedHashMap<>();
        summary.put("ratings file", source);
        summary.put("ratings", String.format(Locale.ROOT, "%,d (train %,d, test %,d)", all.size(), tt.train().size(),
                tt.test().size()));
        summary.put("users", String.format(Locale.ROOT, "%,d", all.users().size()));
        summary.put("model", kind.label() + ", " + options.iterations() + " sweeps, seed " + options.seed());
        ReportPage.summarise(summary, model);
        summary.put("test RMSE (last sweep)", String.format(Locale.ROOT, "%.4f", r.last().testRmse()));
        return new ReportData(source, summary, model, ratings, c, variance, settings);
    }

    private static String[] genreNames(Catalog catalog, int[] genres) {
        String[] out = new String[genres.length];
        for (int k = 0; k < genres.length; k++) {
            out[k] = catalog.genreNames().get(genres[k]);
        }
        return out;
    }
}
