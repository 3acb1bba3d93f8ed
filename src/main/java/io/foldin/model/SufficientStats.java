package io.foldin.model;

/**
 * Sufficient statistics of one entity given the other side's factors: {@code G = Σ y yᵀ} (packed,
 * double), {@code h = Σ x y} and the count n, with {@code y = [V; 1]} and {@code x = r − μ − b}.
 * Priors are added at solve time, so λ, τ, γ can change without a rebuild.
 *
 * <p>Fold-in of a rating is {@code G += y yᵀ, h += x y, n += 1}; a re-rating replaces only the
 * target, {@code h += (r_new − r_old) y}; a delete subtracts the contribution again.
 */
public final class SufficientStats {
    private final int n;
    private final double[] g;
    private final double[] h;
    private long count;

    public SufficientStats(int factors) {
        this.n = factors + 1;
        this.g = new double[PackedGram.size(n)];
        this.h = new double[n];
    }

    /** Statistics over existing arrays (e.g. deserialised from a store); they are not copied. */
    public SufficientStats(int factors, double[] g, double[] h, long count) {
        this.n = factors + 1;
        if (g.length != PackedGram.size(n) || h.length != n) {
            throw new IllegalArgumentException("statistics of the wrong size for D=" + factors);
        }
        this.g = g;
        this.h = h;
        this.count = count;
    }

    /** Adds rating {@code x = r − μ − b_other} against the other side's vector {@code v[off..]}. */
    public void add(float[] v, int off, double x, double[] tmp) {
        PackedGram.addOuter(g, n, v, off, 1.0, tmp);
        PackedGram.addScaled(h, n, v, off, x);
        count++;
    }

    /** Removes a contribution previously added with the same vector and target. */
    public void remove(float[] v, int off, double x, double[] tmp) {
        PackedGram.addOuter(g, n, v, off, -1.0, tmp);
        PackedGram.addScaled(h, n, v, off, -x);
        count--;
    }

    /** A re-rating against the same vector: only the target moves, {@code h += (r_new − r_old) y}. */
    public void rerate(float[] v, int off, double delta) {
        PackedGram.addScaled(h, n, v, off, delta);
    }

    /**
     * One rating change of this entity against the other side's {@code y = [v; 1]} at {@code v[off..]},
     * with {@code base = μ + b_other}: a new rating ({@code previous} NaN) adds {@code x = r − base},
     * a delete ({@code rating} NaN) removes {@code previous − base}, a re-rate moves only the target.
     */
    public void change(float[] v, int off, float rating, float previous, double base, double[] tmp) {
        if (Float.isNaN(previous)) {
            add(v, off, rating - base, tmp);
        } else if (Float.isNaN(rating)) {
            remove(v, off, previous - base, tmp);
        } else {
            rerate(v, off, rating - previous);
        }
    }

    public boolean solve(AugmentedSolver solver, float[] priorMean, int pmOff, float[] out, int outOff) {
        return solver.solve(g, h, priorMean, pmOff, out, outOff);
    }

    /** {@link #solve} that also writes the diagonal of the posterior covariance (D+1 floats) to {@code variance}. */
    public boolean solveWithVariance(AugmentedSolver solver, float[] priorMean, float[] out, float[] variance) {
        return solver.solveWithVariance(g, h, priorMean, 0, out, 0, variance);
    }

    public double[] gram() {
        return g;
    }

    public double[] target() {
        return h;
    }

    public long count() {
        return count;
    }

    public void clear() {
        java.util.Arrays.fill(g, 0);
        java.util.Arrays.fill(h, 0);
        count = 0;
    }

    /**
     * Replaces the statistics with float32 values from {@code src}: the packed G at {@code gOff}, h at
     * {@code hOff} (a sweep's result as it travels between instances).
     */
    public void load(float[] src, int gOff, int hOff, long n) {
        for (int k = 0; k < g.length; k++) {
            g[k] = src[gOff + k];
        }
        for (int k = 0; k < h.length; k++) {
            h[k] = src[hOff + k];
        }
        count = n;
    }
}
