package io.foldin.serve.rank;

import java.util.SplittableRandom;

/**
 * Item tables {@code [V; b]} (row-major, stride D + 1) and user vectors for index tests and benchmarks, from
 * fixed seeds.
 * <ul>
 *   <li>{@link #random}: every entry N(0, 0.3²), bias N(0, 0.5²): no structure for the partitions to find;</li>
 *   <li>{@link #clustered}: 64 directions, each item one of them (picked with Zipf weights) plus N(0, 0.15²)
 *       noise per entry, scaled by a Pareto(α = 2.5) norm factor, bias 0.3·(norm factor − 1) + N(0, 0.3²):
 *       a few large-norm, high-bias items as ALS gives popular ones, and a long tail near the origin;</li>
 *   <li>{@link #users}: N(0, 1/D) per entry (norm about 1), like the twin's user factors.</li>
 * </ul>
 */
public final class SyntheticFactors {
    private SyntheticFactors() {
    }

    public static float[] random(int n, int d, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int stride = d + 1;
        float[] x = new float[n * stride];
        for (int r = 0; r < n; r++) {
            for (int a = 0; a < d; a++) {
                x[r * stride + a] = (float) (0.3 * rnd.nextGaussian());
            }
            x[r * stride + d] = (float) (0.5 * rnd.nextGaussian());
        }
        return x;
    }

    public static float[] clustered(int n, int d, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int stride = d + 1;
        int k = 64;
        double[][] dir = new double[k][d];
        double[] cum = new double[k];
        double total = 0;
        for (int c = 0; c < k; c++) {
            for (int a = 0; a < d; a++) {
                dir[c][a] = 0.3 * rnd.nextGaussian();
            }
            total += 1.0 / (c + 1);
            cum[c] = total;
        }
        float[] x = new float[n * stride];
        for (int r = 0; r < n; r++) {
            double p = rnd.nextDouble() * total;
            int c = 0;
            while (cum[c] < p) {
                c++;
            }
            double scale = Math.pow(1 - rnd.nextDouble(), -1 / 2.5); // Pareto, ≥ 1
            for (int a = 0; a < d; a++) {
                x[r * stride + a] = (float) (scale * (dir[c][a] + 0.15 * rnd.nextGaussian()) / 2);
            }
            x[r * stride + d] = (float) (0.3 * (scale - 1) + 0.3 * rnd.nextGaussian());
        }
        return x;
    }

    public static float[][] users(int n, int d, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[][] u = new float[n][d];
        for (int q = 0; q < n; q++) {
            for (int a = 0; a < d; a++) {
                u[q][a] = (float) (rnd.nextGaussian() / Math.sqrt(d));
            }
        }
        return u;
    }
}
