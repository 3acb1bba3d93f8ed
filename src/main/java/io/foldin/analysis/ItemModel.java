package io.foldin.analysis;

import io.foldin.model.AlsParams;
import java.util.Map;

/**
 * The item side of a trained model as the analyses read it: for each of n items its id, title, genre names,
 * {@code [V_i; b_i]} (stride D + 1) and training rating count; the global mean μ, the precisions λ, τ, γ, and the
 * learned genre feature vectors f_k by genre name (empty when none were learned). Built from an offline
 * {@link io.foldin.model.FactorModel} or from the serving item table; the arrays are not copied.
 */
public record ItemModel(int d, int[] ids, String[] titles, String[][] genres, float[] rows, int[] counts,
                        double mu, AlsParams params, Map<String, float[]> features) {
    public ItemModel {
        int n = ids.length;
        if (titles.length != n || genres.length != n || counts.length != n || rows.length < n * (d + 1)) {
            throw new IllegalArgumentException("item arrays of different lengths");
        }
        features = Map.copyOf(features);
    }

    public int size() {
        return ids.length;
    }

    public int stride() {
        return d + 1;
    }

    public int offset(int i) {
        return i * (d + 1);
    }

    public float bias(int i) {
        return rows[i * (d + 1) + d];
    }

    /** {@code ‖V_i‖}, the Euclidean norm of the factor vector (bias left out). */
    public double norm(int i) {
        double s = 0;
        int o = offset(i);
        for (int a = 0; a < d; a++) {
            s += (double) rows[o + a] * rows[o + a];
        }
        return Math.sqrt(s);
    }
}
