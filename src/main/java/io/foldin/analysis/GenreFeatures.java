package io.foldin.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The learned genre features of the hierarchical prior (seed 003 §12): their magnitudes (Table 5) and the
 * neighbours of a cold-start item that has only genres (Table 4).
 *
 * <p>A genre-only item sits at its prior mean {@code m = |F|^(-1/2) Σ_{k∈F} f_k} (the mean of
 * {@link io.foldin.model.GenrePrior}); its neighbours are the items with the largest cosine similarity
 * {@code cos(m, V_i) = m·V_i / (‖m‖ ‖V_i‖)}.
 */
public final class GenreFeatures {
    private GenreFeatures() {
    }

    /** A genre and {@code ‖f_k‖}. */
    public record Magnitude(String genre, double magnitude) {
    }

    /** Every feature's {@code ‖f_k‖}, largest first (ties by name). */
    public static List<Magnitude> magnitudes(Map<String, float[]> features) {
        List<Magnitude> out = new ArrayList<>();
        for (Map.Entry<String, float[]> e : features.entrySet()) {
            double s = 0;
            for (float f : e.getValue()) {
                s += (double) f * f;
            }
            out.add(new Magnitude(e.getKey(), Math.sqrt(s)));
        }
        out.sort(Comparator.comparingDouble(Magnitude::magnitude).reversed().thenComparing(Magnitude::genre));
        return out;
    }

    /** The prior mean of an item with these genres; null when none of them has a feature. */
    public static float[] priorMean(Map<String, float[]> features, List<String> genres, int d) {
        float[] m = new float[d];
        int used = 0;
        for (String g : genres) {
            float[] f = features.get(g);
            if (f != null) {
                for (int a = 0; a < d; a++) {
                    m[a] += f[a];
                }
                used++;
            }
        }
        if (used == 0) {
            return null;
        }
        float scale = (float) (1.0 / Math.sqrt(used));
        for (int a = 0; a < d; a++) {
            m[a] *= scale;
        }
        return m;
    }

    /**
     * The {@code n} items most cosine-similar to the prior mean of {@code genres}, among items with at least
     * {@code minRatings} ratings; empty when the genres have no features or the mean is zero.
     */
    public static List<Ranked> coldStartNeighbours(ItemModel model, List<String> genres, int n, int minRatings) {
        float[] m = priorMean(model.features(), genres, model.d());
        if (m == null) {
            return List.of();
        }
        double mm = 0;
        for (float v : m) {
            mm += (double) v * v;
        }
        if (!(mm > 0)) {
            return List.of();
        }
        double mNorm = Math.sqrt(mm);
        TopN top = new TopN(n);
        float[] rows = model.rows();
        for (int i = 0; i < model.size(); i++) {
            if (model.counts()[i] < minRatings) {
                continue;
            }
            double norm = model.norm(i);
            if (!(norm > 0)) {
                continue;
            }
            double dot = 0;
            int o = model.offset(i);
            for (int a = 0; a < model.d(); a++) {
                dot += (double) m[a] * rows[o + a];
            }
            top.offer(i, dot / (mNorm * norm));
        }
        return top.ranked(model);
    }
}
