package io.foldin.data.twin;

import java.util.Arrays;

/**
 * The target rating histogram and the quantile map from hidden scores to half-stars.
 *
 * <p>ml-32m's {@code ratings.csv} is not on this machine, so the histogram is an assumption: the
 * published ml-25m counts (0.5: 393,068, 1.0: 776,815, 1.5: 399,490, 2.0: 1,640,868,
 * 2.5: 1,262,797, 3.0: 4,896,928, 3.5: 3,177,318, 4.0: 6,639,798, 4.5: 2,200,539,
 * 5.0: 3,612,474; mean 3.534), exponentially tilted ({@code p_k ∝ q_k e^{θ r_k}}, θ ≈ 0.0055)
 * to ml-32m's mean of 3.540 and rounded to parts per ten thousand. The shape — 4.0 the mode,
 * whole stars more common than their half-star neighbours — is the same in every MovieLens release
 * with half stars.
 *
 * <p>Map: with cumulative shares {@code F_k}, thresholds {@code t_k} are the {@code F_k}-quantiles
 * of the generated scores, and a score s becomes the half-star k with {@code t_{k-1} ≤ s < t_k}.
 * Monotone, so it keeps the ordering the hidden model gives, and the histogram comes out right
 * whatever the scale of the scores.
 */
final class HalfStars {
    /** Share of each half-star 0.5, 1.0, ..., 5.0, in parts per ten thousand. */
    static final int[] PER_10K = {155, 306, 158, 651, 502, 1952, 1271, 2663, 885, 1457};
    static final int LEVELS = 10;

    private HalfStars() {
    }

    /** Mean of the target histogram (3.54). */
    static double targetMean() {
        double s = 0;
        for (int k = 0; k < LEVELS; k++) {
            s += PER_10K[k] * 0.5 * (k + 1);
        }
        return s / 10_000;
    }

    /**
     * The nine thresholds between the ten levels, from every {@code stride}-th of the first
     * {@code n} scores (a systematic sample is plenty: 2M values place each quantile to ~1e-3).
     */
    static float[] thresholds(float[] scores, int n, int maxSample) {
        int stride = Math.max(1, n / maxSample);
        int m = (n + stride - 1) / stride;
        float[] sample = new float[m];
        for (int j = 0; j < m; j++) {
            sample[j] = scores[j * stride];
        }
        Arrays.sort(sample);
        float[] t = new float[LEVELS - 1];
        int cum = 0;
        for (int k = 0; k < LEVELS - 1; k++) {
            cum += PER_10K[k];
            int at = (int) Math.min(m - 1, Math.round((double) cum * m / 10_000));
            t[k] = sample[at];
        }
        return t;
    }

    /** Half-star count 1..10 (rating = code / 2) of a score. */
    static byte code(float score, float[] thresholds) {
        int k = 0;
        while (k < thresholds.length && score >= thresholds[k]) {
            k++;
        }
        return (byte) (k + 1);
    }
}
