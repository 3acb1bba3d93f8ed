package io.foldin.analysis;

/**
 * Counting values into bins: the rating histogram (seed 002 Fig. 1, seed 003 Fig. 2) and the variance
 * histograms (seed 003 Fig. 12).
 */
public final class Histograms {
    private Histograms() {
    }

    /** {@code counts[k]} values in {@code [edges[k], edges[k+1])}, the last bin closed on the right. */
    public record Bins(double[] edges, long[] counts) {
    }

    /**
     * Ratings by half star: bin k holds the ratings that round to {@code min + k/2}, from the lowest to the
     * highest rating seen, so a 1–5 integer scale shows its empty half stars.
     */
    public static Bins halfStars(float[] ratings, int size) {
        if (size == 0) {
            return new Bins(new double[] {0, 0.5}, new long[1]);
        }
        int lo = Integer.MAX_VALUE;
        int hi = Integer.MIN_VALUE;
        for (int k = 0; k < size; k++) {
            int h = Math.round(ratings[k] * 2);
            lo = Math.min(lo, h);
            hi = Math.max(hi, h);
        }
        long[] counts = new long[hi - lo + 1];
        for (int k = 0; k < size; k++) {
            counts[Math.round(ratings[k] * 2) - lo]++;
        }
        double[] edges = new double[counts.length + 1];
        for (int k = 0; k < edges.length; k++) {
            edges[k] = (lo + k - 0.5) / 2.0;
        }
        return new Bins(edges, counts);
    }

    /**
     * {@code bins} equal-width bins over {@code [min, max]} of the finite values (NaN and infinities are
     * left out); one bin of width 1 around the value when all are equal.
     */
    public static Bins uniform(double[] values, int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be >= 1, got " + bins);
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (Double.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (lo > hi) {
            return new Bins(new double[] {0, 1}, new long[1]);
        }
        if (lo == hi) {
            return new Bins(new double[] {lo - 0.5, lo + 0.5}, new long[] {count(values)});
        }
        double w = (hi - lo) / bins;
        double[] edges = new double[bins + 1];
        for (int k = 0; k <= bins; k++) {
            edges[k] = lo + k * w;
        }
        edges[bins] = hi;
        long[] counts = new long[bins];
        for (double v : values) {
            if (Double.isFinite(v)) {
                counts[Math.min(bins - 1, (int) ((v - lo) / w))]++;
            }
        }
        return new Bins(edges, counts);
    }

    private static long count(double[] values) {
        long n = 0;
        for (double v : values) {
            n += Double.isFinite(v) ? 1 : 0;
        }
        return n;
    }
}
