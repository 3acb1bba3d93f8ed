package io.foldin.serve.http;

import io.foldin.model.AlsParams;
import io.foldin.serve.rank.ItemColumns;
import io.foldin.serve.rank.ItemScan;
import io.foldin.serve.rank.PredictionVariance;
import io.foldin.serve.rank.TopK;
import io.foldin.serve.rank.TransientUser;
import io.foldin.stream.event.RatingEvent;
import io.foldin.stream.live.ItemFactorTable;
import io.foldin.stream.live.LiveModel;
import io.foldin.stream.topology.EntityState;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The queries behind the endpoints, on the live item table and its column copy; no HTTP here.
 * Per-thread workspaces (event loops are long-lived threads), so a query allocates only its result.
 */
final class Recommender {
    /** Ranking options: how many, the fewest ratings an item needs, the weight of the item bias. */
    record Query(int k, int minRatings, float biasWeight) {
    }

    /** One ranked item: its ranking score and the predicted rating {@code μ + b_u + b_i + U·V_i}. */
    record Scored(int itemId, float score, float predicted) {
    }

    /** Whether the user has rated an item (a point lookup in the user-ratings store). */
    interface Rated {
        boolean rated(int itemId);
    }

    /** Predicted rating with the standard deviations of the mean and of a new rating. */
    record Prediction(float predicted, double std, double ratingStd, float rating) {
    }

    private static final class Work {
        final ItemScan scan = ItemScan.create();
        final TopK top = new TopK(64);
        final TransientUser transientUser;
        final PredictionVariance variance;
        final float[] row;

        Work(AlsParams params) {
            transientUser = new TransientUser(params);
            variance = new PredictionVariance(params);
            row = new float[params.dim()];
        }
    }

    private final LiveModel live;
    private final ItemColumns columns;
    private final int d;
    private final ThreadLocal<Work> work;

    Recommender(LiveModel live, ItemColumns columns, AlsParams params) {
        this.live = live;
        this.columns = columns;
        this.d = params.factors();
        this.work = ThreadLocal.withInitial(() -> new Work(params));
    }

    LiveModel live() {
        return live;
    }

    /**
     * Top k unrated items for a known user. Selects the best {@code c = k + m} candidates in one
     * scan and checks them in rank order with point lookups, stopping at k unrated ones; only if
     * the user rated so many of them does it rescan with a larger m. Since at most n_u items are
     * rated, {@code c = k + n_u} always suffices, so the loop ends.
     */
    List<Scored> forUser(float[] user, long userRatings, Query q, Rated rated) {
        Work w = work.get();
        ItemFactorTable.Snapshot tab = live.items().snapshot();
        ItemColumns.View v = columns.view();
        int rows = Math.min(tab.size(), v.size());
        long all = q.k() + userRatings;
        int c = (int) Math.min(all, q.k() + Math.max(q.k(), Math.min(userRatings, 64)));
        List<Scored> out = new ArrayList<>(q.k());
        while (true) {
            out.clear();
            w.top.reset(Math.max(1, Math.min(c, rows)));
            w.scan.scan(v, rows, user, q.biasWeight(), false, tab.counts(), q.minRatings(), -1, w.top);
            w.top.sortDescending();
            for (int rank = 0; rank < w.top.size() && out.size() < q.k(); rank++) {
                int row = w.top.row(rank);
                int item = tab.ids()[row];
                if (!rated.rated(item)) {
                    out.add(scored(tab, row, item, w.top.score(rank), user, w.row));
                }
            }
            if (out.size() == q.k() || w.top.size() < w.top.capacity() || c >= all || c >= rows) {
                return out;
            }
            c = (int) Math.min(all, 4L * c);
        }
    }

    /** Items the anonymous user rated that the model knows; the rest are ignored. */
    record Anonymous(List<Scored> items, List<Integer> ignored, float bias) {
    }

    /** Folds the ratings into a transient user (nothing stored) and ranks the items not among them. */
    Anonymous forRatings(int[] itemIds, float[] ratings, Query q) {
        Work w = work.get();
        ItemFactorTable.Snapshot tab = live.items().snapshot();
        ItemColumns.View v = columns.view();
        int rows = Math.min(tab.size(), v.size());
        int stride = d + 1;
        float[] ys = new float[itemIds.length * stride];
        float[] rs = new float[itemIds.length];
        List<Integer> ignored = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        int n = 0;
        for (int i = 0; i < itemIds.length; i++) {
            int row = live.items().rowOf(itemIds[i]);
            if (row < 0 || row >= rows || !seen.add(itemIds[i])) {
                ignored.add(itemIds[i]);
                continue;
            }
            System.arraycopy(tab.data(), row * stride, ys, n * stride, stride);
            rs[n++] = ratings[i];
        }
        float[] user = new float[stride];
        w.transientUser.solve(ys, rs, n, live.epoch().mu(), user);
        List<Scored> out = new ArrayList<>(q.k());
        if (rows > 0) {
            // The rated items are the only ones to skip, so k + n candidates always suffice.
            w.top.reset(Math.min(rows, q.k() + n));
            w.scan.scan(v, rows, user, q.biasWeight(), false, tab.counts(), q.minRatings(), -1, w.top);
            w.top.sortDescending();
            for (int rank = 0; rank < w.top.size() && out.size() < q.k(); rank++) {
                int row = w.top.row(rank);
                int item = tab.ids()[row];
                if (!seen.contains(item)) {
                    out.add(scored(tab, row, item, w.top.score(rank), user, w.row));
                }
            }
        }
        return new Anonymous(out, ignored, user[d]);
    }

    /** Cosine neighbours of an item in factor space, or null when the item has no factors. */
    List<Scored> similar(int itemId, Query q) {
        Work w = work.get();
        ItemFactorTable.Snapshot tab = live.items().snapshot();
        ItemColumns.View v = columns.view();
        int rows = Math.min(tab.size(), v.size());
        int row = live.items().rowOf(itemId);
        if (row < 0 || row >= rows) {
            return null;
        }
        float[] q0 = new float[d + 1];
        System.arraycopy(tab.data(), row * (d + 1), q0, 0, d + 1);
        double norm = norm(q0);
        List<Scored> out = new ArrayList<>(q.k());
        if (norm == 0 || rows < 2) {
            return out;
        }
        w.top.reset(Math.min(q.k(), rows - 1));
        w.scan.scan(v, rows, q0, 0f, true, tab.counts(), q.minRatings(), row, w.top);
        w.top.sortDescending();
        for (int rank = 0; rank < w.top.size(); rank++) {
            int r = w.top.row(rank);
            out.add(new Scored(tab.ids()[r], (float) (w.top.score(rank) / norm), Float.NaN));
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

    /** {@code μ + b_u + b_i + U·V_i}, clipped to the rating range as evaluation does. */
    private float predicted(float[] user, float[] item) {
        double r = live.epoch().mu() + user[d] + item[d];
        for (int a = 0; a < d; a++) {
            r += (double) user[a] * item[a];
        }
        return (float) Math.max(RatingEvent.MIN_RATING, Math.min(RatingEvent.MAX_RATING, r));
    }
}
