package io.foldin.serve.http;

import io.foldin.model.AlsParams;
import io.foldin.model.ExplicitPrediction;
import io.foldin.serve.rank.PredictionVariance;
import io.foldin.serve.rank.Ranking;
import io.foldin.serve.rank.ScoreVariance;
import io.foldin.serve.rank.TopK;
import io.foldin.serve.rank.TransientUser;
import io.foldin.stream.event.RatingEvent;
import io.foldin.stream.live.ItemFactorTable;
import io.foldin.stream.live.LiveModel;
import io.foldin.stream.topology.EntityState;
import io.vertx.core.Context;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The queries behind the endpoints, on the live item table; no HTTP here. Scans over all items go to
 * the {@link BatchScanner}; their results come back on the caller's context (an event loop), where
 * the rest of the query (excluding rated items, predicted ratings) runs, so the event loop never waits for a
 * scan. Per-thread workspaces (event loops are long-lived threads), so a query allocates little more
 * than its result.
 */
final class Recommender {
    /**
     * Ranking options: how many, the fewest ratings an item needs, the weight of the item bias, the ranking
     * ({@link Ranking}) and its β (UCB), and whether to scan every item even where the index could serve
     * ({@code exact=true}).
     */
    record Query(int k, int minRatings, float biasWeight, Ranking ranking, float beta, boolean exact) {
        Query(int k, int minRatings, float biasWeight, Ranking ranking, float beta) {
            this(k, minRatings, biasWeight, ranking, beta, false);
        }

        Query(int k, int minRatings, float biasWeight) {
            this(k, minRatings, biasWeight, Ranking.MEAN, 1f);
        }
    }

    /**
     * One ranked item: its ranking score, the model's prediction {@code r̂ = μ + b_u + b_i + U·V_i}, not
     * clipped (the top of a generous rater's list lies above 5: user 1 of ml-latest-small, b_u ≈ +0.67, has all
     * ten above 5, and clipped there every row would read 5.00; {@link #clip} gives the rating) and, when ranked
     * by variance, the variance of the score (NaN otherwise).
     */
    record Scored(int itemId, float score, float predicted, double variance) {
        Scored(int itemId, float score, float predicted) {
            this(itemId, score, predicted, Double.NaN);
        }
    }

    /** A prediction as a rating: {@code r̂} clipped to [0.5, 5], as evaluation does. */
    static float clip(double r) {
        return (float) ExplicitPrediction.clip(r, RatingEvent.MIN_RATING, RatingEvent.MAX_RATING);
    }

    /** Whether the user has rated an item (the user's entry in {@code RatedItems}). */
    interface Rated {
        boolean rated(int itemId);
    }

    /** Predicted rating (unclipped {@code r̂}) with the standard deviations of the mean and of a new rating. */
    record Prediction(float predicted, double std, double ratingStd, float rating) {
    }

    private static final class Work {
        final TopK top = new TopK(64);
        final TransientUser transientUser;
        final PredictionVariance variance;
        final ScoreVariance scoreVariance;
        final float[] row;

        Work(AlsParams params) {
            transientUser = new TransientUser(params);
            variance = new PredictionVariance(params);
            scoreVariance = new ScoreVariance(params);
            row = new float[params.dim()];
        }
    }

    private final LiveModel live;
    private final BatchScanner scanner;
    private final int d;
    private final ThreadLocal<Work> work;

    Recommender(LiveModel live, BatchScanner scanner, AlsParams params) {
        this.live = live;
        this.scanner = scanner;
        this.d = params.factors();
        this.work = ThreadLocal.withInitial(() -> new Work(params));
    }

    LiveModel live() {
        return live;
    }

    /**
     * How a recommendation list for {@code q} is searched: {@code index} when the ranking is the mean score, the
     * request did not ask for {@code exact=true} and the item index is built (the catalogue has at least
     * {@code http.index.min.items} items), else {@code exact} (the full scan; the variance rankings are always
     * exact: their score is not an inner product).
     */
    String search(Query q) {
        return q.ranking() == Ranking.MEAN && !q.exact() && scanner.indexReady() ? "index" : "exact";
    }

    /**
     * Top k unrated items for a known user. Selects the best {@code c = k + m} candidates in one
     * scan and checks them in rank order against the rated items, stopping at k unrated ones; only if
     * the user rated so many of them does it rescan with a larger m. Since at most n_u items are
     * rated, {@code c = k + n_u} always suffices, so the loop ends. Completes on {@code on}.
     */
    Future<List<Scored>> forUser(Context on, float[] user, double[] gram, long userRatings, Query q, Rated rated) {
        if (q.ranking() != Ranking.MEAN) {
            return Future.succeededFuture(byVariance(user, gram, q, rated));
        }
        long all = q.k() + userRatings;
        int c = (int) Math.min(all, q.k() + Math.max(q.k(), Math.min(userRatings, 64)));
        return forUser(on, user, all, c, q, rated);
    }

    private Future<List<Scored>> forUser(Context on, float[] user, long all, int c, Query q, Rated rated) {
        return scan(on, user, q.biasWeight(), false, q.minRatings(), -1, c, q.exact()).compose(res -> {
            ItemFactorTable.Snapshot tab = res.table();
            float[] buf = work.get().row;
            List<Scored> out = new ArrayList<>(q.k());
            for (int rank = 0; rank < res.size() && out.size() < q.k(); rank++) {
                int row = res.rows()[rank];
                int item = tab.ids()[row];
                if (!rated.rated(item)) {
                    out.add(scored(tab, row, item, res.scores()[rank], user, buf));
                }
            }
            if (out.size() == q.k() || res.size() < res.capacity() || c >= all || c >= res.scanned()) {
                return Future.succeededFuture(out);
            }
            return forUser(on, user, all, (int) Math.min(all, 4L * c), q, rated);
        });
    }

    private Future<BatchScanner.Result> scan(Context on, float[] u, float biasWeight, boolean cosine, int minCount,
                                             int skipRow, int capacity, boolean exact) {
        return Future.fromCompletionStage(scanner.submit(u, biasWeight, cosine, minCount, skipRow, capacity, exact),
                on);
    }

    /** Items the anonymous user rated that the model knows; the rest are ignored. */
    record Anonymous(List<Scored> items, List<Integer> ignored, float bias) {
    }

    /** Folds the ratings into a transient user (nothing stored) and ranks the items not among them. */
    Future<Anonymous> forRatings(Context on, int[] itemIds, float[] ratings, Query q) {
        Work w = work.get();
        ItemFactorTable.Snapshot tab = live.items().snapshot();
        int stride = d + 1;
        float[] ys = new float[itemIds.length * stride];
        float[] rs = new float[itemIds.length];
        List<Integer> ignored = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        int n = 0;
        for (int i = 0; i < itemIds.length; i++) {
            int row = live.items().rowOf(itemIds[i]);
            if (row < 0 || row >= tab.size() || !seen.add(itemIds[i])) {
                ignored.add(itemIds[i]);
                continue;
            }
            System.arraycopy(tab.data(), row * stride, ys, n * stride, stride);
            rs[n++] = ratings[i];
        }
        float[] user = new float[stride];
        w.transientUser.solve(ys, rs, n, live.epoch().mu(), user);
        if (q.ranking() != Ranking.MEAN) {
            return Future.succeededFuture(new Anonymous(byVariance(user, w.transientUser.gram(), q, seen::contains),
                    ignored, user[d]));
        }
        // The rated items are the only ones to skip, so k + n candidates always suffice.
        return scan(on, user, q.biasWeight(), false, q.minRatings(), -1, q.k() + n, q.exact()).map(res -> {
            float[] buf = work.get().row;
            List<Scored> out = new ArrayList<>(q.k());
            for (int rank = 0; rank < res.size() && out.size() < q.k(); rank++) {
                int row = res.rows()[rank];
                int item = res.table().ids()[row];
                if (!seen.contains(item)) {
                    out.add(scored(res.table(), row, item, res.scores()[rank], user, buf));
                }
            }
            return new Anonymous(out, ignored, user[d]);
        });
    }

    /**
     * Below this factor norm an item's direction is not defined: {@code GET /items/{id}} shows its norm
     * as 0 (six decimals), and float32 factors whose entries are ~0.1-1 elsewhere carry solver round-off
     * of about 1e-7, so such a vector's "direction" is noise and cosine with it meaningless (it used to
     * give every neighbour a similarity, e.g. 0.5). Exactly zero is the common case: a new item without
     * metadata after a sweep, rated only by users whose factors are zero too.
     */
    static final double ZERO_NORM = 5e-7;

    /**
     * Cosine neighbours of an item in factor space; empty when its vector is (numerically) zero, see
     * {@link #ZERO_NORM}; null (not a future) when the item has no factors.
     */
    Future<List<Scored>> similar(Context on, int itemId, Query q) {
        ItemFactorTable.Snapshot tab = live.items().snapshot();
        int row = live.items().rowOf(itemId);
        if (row < 0 || row >= tab.size()) {
            return null;
        }
        float[] q0 = new float[d + 1];
        System.arraycopy(tab.data(), row * (d + 1), q0, 0, d + 1);
        double norm = norm(q0);
        if (!(norm >= ZERO_NORM) || tab.size() < 2) {
            return Future.succeededFuture(new ArrayList<>());
        }
        if (q.ranking() != Ranking.MEAN) {
            return Future.succeededFuture(similarByVariance(tab, row, q0, norm, q));
        }
        return scan(on, q0, 0f, true, q.minRatings(), row, q.k(), true).map(res -> {
            List<Scored> out = new ArrayList<>(res.size());
            for (int rank = 0; rank < res.size(); rank++) {
                int r = res.rows()[rank];
                out.add(new Scored(res.table().ids()[r], (float) (res.scores()[rank] / norm), Float.NaN));
            }
            return out;
        });
    }

    /**
     * Top k by {@code ranking(mean, var_ui)} in one scalar pass over the item table on the calling thread
     * (docs/design.md §1.8): {@code mean = μ + b_u + biasWeight·b_i + U·V_i} (the predicted rating at
     * biasWeight 1), {@code var_ui} from {@link ScoreVariance}; items {@code skip} names are left out. About
     * (D+1)²/2 + 2(D+1) multiply-adds per item, some 20 times a mean scan's, so it does not go to the batched
     * SIMD scan threads. Empty when the user's system is not positive definite.
     */
    private List<Scored> byVariance(float[] user, double[] gram, Query q, Rated skip) {
        Work w = work.get();
        ItemFactorTable.Snapshot tab = live.items().snapshot();
        List<Scored> out = new ArrayList<>(q.k());
        int rows = tab.size();
        if (rows == 0 || !w.scoreVariance.user(gram, user)) {
            return out;
        }
        int stride = d + 1;
        float[] data = tab.data();
        float[] variance = tab.variance();
        double base = live.epoch().mu() + user[d];
        w.top.reset(Math.min(q.k(), rows));
        for (int r = 0; r < rows; r++) {
            if (tab.counts()[r] < q.minRatings() || skip.rated(tab.ids()[r])) {
                continue;
            }
            int off = r * stride;
            double mean = base + q.biasWeight() * data[off + d];
            for (int a = 0; a < d; a++) {
                mean += (double) user[a] * data[off + a];
            }
            double var = w.scoreVariance.variance(data, variance, off);
            w.top.offer((float) q.ranking().score(mean, var, q.beta()), r);
        }
        w.top.sortDescending();
        float[] buf = w.row;
        for (int rank = 0; rank < w.top.size(); rank++) {
            int r = w.top.row(rank);
            System.arraycopy(data, r * stride, buf, 0, stride);
            out.add(new Scored(tab.ids()[r], w.top.score(rank), predicted(user, buf),
                    w.scoreVariance.variance(data, variance, r * stride)));
        }
        return out;
    }

    /**
     * Similar items by {@code ranking(cosine, v_j)}, v_j the neighbour's mean factor variance {@code tr(T_VV)/D}:
     * a neighbour whose direction is uncertain counts less (uncertainty) or more (ucb).
     */
    private List<Scored> similarByVariance(ItemFactorTable.Snapshot tab, int self, float[] q0, double norm, Query q) {
        Work w = work.get();
        int stride = d + 1;
        float[] data = tab.data();
        float[] variance = tab.variance();
        w.top.reset(Math.min(q.k(), tab.size() - 1));
        for (int r = 0; r < tab.size(); r++) {
            if (r == self || tab.counts()[r] < q.minRatings()) {
                continue;
            }
            int off = r * stride;
            double dot = 0;
            double nn = 0;
            for (int a = 0; a < d; a++) {
                dot += (double) q0[a] * data[off + a];
                nn += (double) data[off + a] * data[off + a];
            }
            if (!(Math.sqrt(nn) >= ZERO_NORM)) {
                continue;
            }
            double cos = dot / (norm * Math.sqrt(nn));
            double var = w.scoreVariance.itemFactorVariance(variance, off);
            w.top.offer((float) q.ranking().score(cos, var, q.beta()), r);
        }
        w.top.sortDescending();
        List<Scored> out = new ArrayList<>(w.top.size());
        for (int rank = 0; rank < w.top.size(); rank++) {
            int r = w.top.row(rank);
            out.add(new Scored(tab.ids()[r], w.top.score(rank), Float.NaN,
                    w.scoreVariance.itemFactorVariance(variance, r * stride)));
        }
        return out;
    }

    /** The user's posterior variances {@code diag((λ G_u + prior)⁻¹)} of {@code [U; b]}, or null. */
    double[] userVariance(EntityState user) {
        Work w = work.get();
        if (!w.scoreVariance.user(user.stats().gram(), user.factor())) {
            return null;
        }
        double[] v = new double[d + 1];
        w.scoreVariance.userVariance(v);
        return v;
    }

    /** The item's carried posterior variances of {@code [V; b]} (NaN where none arrived), or null when unknown. */
    double[] itemVariance(int itemId) {
        float[] v = new float[d + 1];
        if (!live.items().variance(itemId, v, 0)) {
            return null;
        }
        double[] out = new double[d + 1];
        for (int k = 0; k <= d; k++) {
            out[k] = v[k];
        }
        return out;
    }

    /** The most rated items (count when last solved), ties by row. */
    List<Scored> popular(Query q) {
        Work w = work.get();
        ItemFactorTable.Snapshot tab = live.items().snapshot();
        int rows = tab.size();
        List<Scored> out = new ArrayList<>(q.k());
        if (rows == 0) {
            return out;
        }
        w.top.reset(Math.min(q.k(), rows));
        int[] counts = tab.counts();
        for (int r = 0; r < rows; r++) {
            if (counts[r] >= q.minRatings()) {
                w.top.offer(counts[r], r);
            }
        }
        w.top.sortDescending();
        for (int rank = 0; rank < w.top.size(); rank++) {
            int r = w.top.row(rank);
            out.add(new Scored(tab.ids()[r], w.top.score(rank), Float.NaN));
        }
        return out;
    }

    /** The user's predicted rating of an item and its uncertainty; null when the item is unknown. */
    Prediction predict(EntityState user, int itemId, float rating) {
        Work w = work.get();
        if (!live.items().get(itemId, w.row, 0)) {
            return null;
        }
        float[] u = user.factor();
        double mean = w.variance.meanVariance(user.stats().gram(), w.row);
        return new Prediction(predicted(u, w.row), Math.sqrt(mean), Math.sqrt(w.variance.ratingVariance(mean)), rating);
    }

    /** The item's {@code [V; b]} into a new array, or null when it has no factors. */
    float[] itemFactor(int itemId) {
        float[] f = new float[d + 1];
        return live.items().get(itemId, f, 0) ? f : null;
    }

    int itemCount(int itemId) {
        return live.items().count(itemId);
    }

    static double norm(float[] f) {
        double s = 0;
        for (int a = 0; a < f.length - 1; a++) {
            s += (double) f[a] * f[a];
        }
        return Math.sqrt(s);
    }

    private Scored scored(ItemFactorTable.Snapshot tab, int row, int item, float score, float[] user, float[] buf) {
        System.arraycopy(tab.data(), row * (d + 1), buf, 0, d + 1);
        return new Scored(item, score, predicted(user, buf));
    }

    /** {@code r̂ = μ + b_u + b_i + U·V_i}, unclipped ({@link #clip} makes it a rating). */
    private float predicted(float[] user, float[] item) {
        return (float) ExplicitPrediction.unclipped(live.epoch().mu(), user, 0, item, 0, d);
    }
}
