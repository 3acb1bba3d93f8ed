package io.foldin.model;

import java.util.SplittableRandom;

/**
 * Hierarchical genre prior on item vectors (seeds 000 and 003 §12):
 * {@code V_i ~ N(m_i, τ⁻¹ I)}, {@code m_i = |F_i|^(-1/2) Σ_{k∈F_i} f_k}, with feature vectors
 * {@code f_k ~ N(0, τ⁻¹ I)}. Items without genres keep a zero prior mean.
 *
 * <p>Feature update, coordinate-wise over k (seed 003 eq. 25, the exact minimiser of the loss in
 * f_k with everything else fixed):
 * {@code f_k = (1 + Σ_{n∋k} 1/F_n)⁻¹ Σ_{n∋k} F_n^(-1/2) (V_n − F_n^(-1/2) Σ_{j∈F_n, j≠k} f_j)}.
 */
public final class GenrePrior {
    private final int d;
    private final int numGenres;
    private final int[][] itemGenres;
    private final float[] features;
    /** Items holding each genre, inverted from itemGenres once. */
    private final int[][] genreItems;

    /**
     * @param itemGenres genre indices per dense item index (empty array: no genres)
     */
    public GenrePrior(int d, int numGenres, int[][] itemGenres) {
        this.d = d;
        this.numGenres = numGenres;
        this.itemGenres = itemGenres;
        this.features = new float[numGenres * d];
        int[] counts = new int[numGenres];
        for (int[] gs : itemGenres) {
            for (int k : gs) {
                if (k < 0 || k >= numGenres) {
                    throw new IllegalArgumentException("genre index " + k + " outside [0, " + numGenres + ")");
                }
                counts[k]++;
            }
        }
        genreItems = new int[numGenres][];
        for (int k = 0; k < numGenres; k++) {
            genreItems[k] = new int[counts[k]];
            counts[k] = 0;
        }
        for (int i = 0; i < itemGenres.length; i++) {
            for (int k : itemGenres[i]) {
                genreItems[k][counts[k]++] = i;
            }
        }
    }

    /** Feature vectors ~ N(0, 1/D) per entry (seed 003, Algorithm 6). */
    public void initialise(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double scale = 1.0 / Math.sqrt(Math.max(1, d));
        for (int j = 0; j < features.length; j++) {
            features[j] = (float) (rnd.nextGaussian() * scale);
        }
    }

    public int numGenres() {
        return numGenres;
    }

    public int numItems() {
        return itemGenres.length;
    }

    public boolean hasGenres(int item) {
        return item < itemGenres.length && itemGenres[item].length > 0;
    }

    /** Feature vector k as a copy. */
    public float[] feature(int k) {
        float[] f = new float[d];
        System.arraycopy(features, k * d, f, 0, d);
        return f;
    }

    public void setFeature(int k, float[] f) {
        System.arraycopy(f, 0, features, k * d, d);
    }

    /**
     * {@code m_i} written into {@code buf} (D floats), or null when the item has no genres, so its
     * prior mean is zero; the form the solvers take.
     */
    public float[] meanIfAny(int item, float[] buf) {
        if (!hasGenres(item)) {
            return null;
        }
        meanOf(item, buf, 0);
        return buf;
    }

    /** Writes {@code m_i} to {@code out[off .. off+D)} (zeros for an item without genres). */
    public void meanOf(int item, float[] out, int off) {
        java.util.Arrays.fill(out, off, off + d, 0f);
        if (item >= itemGenres.length) {
            return;
        }
        int[] gs = itemGenres[item];
        if (gs.length == 0) {
            return;
        }
        float w = (float) (1.0 / Math.sqrt(gs.length));
        for (int k : gs) {
            int fo = k * d;
            for (int a = 0; a < d; a++) {
                out[off + a] += w * features[fo + a];
            }
        }
    }

    /** Re-solves every f_k in turn by eq. 25 given the item vectors. */
    public void update(Factors items) {
        int n = itemGenres.length;
        // S_n = Σ_{j∈F_n} f_j for every item, kept current as features change
        double[] sums = new double[n * d];
        for (int i = 0; i < n; i++) {
            for (int k : itemGenres[i]) {
                for (int a = 0; a < d; a++) {
                    sums[i * d + a] += features[k * d + a];
                }
            }
        }
        float[] v = items.data();
        int stride = items.stride();
        double[] acc = new double[d];
        for (int k = 0; k < numGenres; k++) {
            java.util.Arrays.fill(acc, 0);
            double denom = 1.0;
            int fo = k * d;
            for (int i : genreItems[k]) {
                if (i >= items.count()) {
                    continue;
                }
                int fn = itemGenres[i].length;
                double s = 1.0 / Math.sqrt(fn);
                denom += 1.0 / fn;
                int vo = i * stride;
                for (int a = 0; a < d; a++) {
                    double others = sums[i * d + a] - features[fo + a];
                    acc[a] += s * (v[vo + a] - s * others);
                }
            }
            for (int a = 0; a < d; a++) {
                float next = (float) (acc[a] / denom);
                float delta = next - features[fo + a];
                features[fo + a] = next;
                for (int i : genreItems[k]) {
                    sums[i * d + a] += delta;
                }
            }
        }
    }

    /** {@code Σ_k ‖f_k‖²}, the feature part of the loss (times τ/2). */
    public double featureNormSquared() {
        double s = 0;
        for (float f : features) {
            s += (double) f * f;
        }
        return s;
    }
}
