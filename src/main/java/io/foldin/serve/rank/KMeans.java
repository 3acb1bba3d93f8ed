package io.foldin.serve.rank;

import java.util.SplittableRandom;

/**
 * The cells of {@link PartitionIndex}: Lloyd's k-means on the rows {@code x_r = [V_r; b_r]} (Euclidean), fitted
 * on a sample and then applied to every row:
 * <ol>
 *   <li>sample {@code m = min(n, 32 K)} rows (seeded); start from K distinct sampled rows;</li>
 *   <li>{@value #ITERATIONS} rounds of: each sampled row to its nearest centroid,
 *       {@code argmin_c ‖x − c_c‖² = argmin_c (‖c_c‖² − 2 x·c_c)}; each centroid to the mean of its rows (a cell
 *       left empty restarts at a random sampled row);</li>
 *   <li>every row to its nearest centroid, then each centroid to the mean of all its rows (the radii of
 *       {@link PartitionIndex} are measured from these).</li>
 * </ol>
 * Centroids are column-major ({@code cent[a][c]}), so the D + 1 products with all K centroids are K-long
 * loops that the JIT vectorises: about {@code n K (D + 1)} multiply-adds for the last step, ~0.5–2 s of one core
 * at a million rows and K = 1,000.
 */
final class KMeans {
    static final int ITERATIONS = 8;
    static final int SAMPLE_PER_CELL = 32;

    private final float[][] cent;
    private final int[] assignment;

    private KMeans(float[][] cent, int[] assignment) {
        this.cent = cent;
        this.assignment = assignment;
    }

    float[][] centroids() {
        return cent;
    }

    int[] assignment() {
        return assignment;
    }

    static KMeans fit(float[] data, int stride, int n, int cells, long seed) {
        if (n < 1 || cells < 1) {
            throw new IllegalArgumentException("k-means of " + n + " rows into " + cells + " cells");
        }
        int k = Math.min(cells, n);
        SplittableRandom rnd = new SplittableRandom(seed);
        int m = (int) Math.min(n, (long) SAMPLE_PER_CELL * k);
        int[] sample = sample(n, m, rnd);
        float[][] cent = new float[stride][k];
        for (int c = 0; c < k; c++) {
            setRow(cent, c, data, sample[c] * stride);
        }
        int[] of = new int[m];
        float[] norms = new float[k];
        float[] scratch = new float[k];
        for (int it = 0; it < ITERATIONS; it++) {
            norms(cent, norms);
            for (int i = 0; i < m; i++) {
                of[i] = nearest(cent, norms, data, sample[i] * stride, scratch);
            }
            means(cent, data, stride, sample, of, m, rnd);
        }
        norms(cent, norms);
        int[] all = new int[n];
        int[] rows = new int[n];
        for (int r = 0; r < n; r++) {
            all[r] = nearest(cent, norms, data, r * stride, scratch);
            rows[r] = r;
        }
        means(cent, data, stride, rows, all, n, rnd);
        return new KMeans(cent, all);
    }

    /** The first {@code m} of a seeded shuffle of {@code [0, n)} (partial Fisher–Yates). */
    private static int[] sample(int n, int m, SplittableRandom rnd) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = 0; i < m; i++) {
            int j = i + rnd.nextInt(n - i);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return java.util.Arrays.copyOf(p, m);
    }

    private static void setRow(float[][] cent, int c, float[] data, int off) {
        for (int a = 0; a < cent.length; a++) {
            cent[a][c] = data[off + a];
        }
    }

    private static void norms(float[][] cent, float[] out) {
        java.util.Arrays.fill(out, 0f);
        for (float[] col : cent) {
            for (int c = 0; c < out.length; c++) {
                out[c] = Math.fma(col[c], col[c], out[c]);
            }
        }
    }

    /** {@code argmin_c ‖c_c‖² − 2 x·c_c} over the columns of {@code cent}; {@code dots} is scratch of K floats. */
    static int nearest(float[][] cent, float[] norm2, float[] x, int off, float[] dots) {
        int k = norm2.length;
        java.util.Arrays.fill(dots, 0, k, 0f);
        for (int a = 0; a < cent.length; a++) {
            float xa = x[off + a];
            float[] col = cent[a];
            for (int c = 0; c < k; c++) {
                dots[c] = Math.fma(xa, col[c], dots[c]);
            }
        }
        int best = 0;
        float bestD = Float.POSITIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            float dist = norm2[c] - 2 * dots[c];
            if (dist < bestD) {
                bestD = dist;
                best = c;
            }
        }
        return best;
    }

    /** Each centroid to the mean of its rows (in double); an empty cell restarts at a random listed row. */
    private static void means(float[][] cent, float[] data, int stride, int[] rows, int[] of, int m,
                              SplittableRandom rnd) {
        int k = cent[0].length;
        double[] sum = new double[k * stride];
        int[] count = new int[k];
        for (int i = 0; i < m; i++) {
            int c = of[i];
            count[c]++;
            int off = rows[i] * stride;
            for (int a = 0; a < stride; a++) {
                sum[c * stride + a] += data[off + a];
            }
        }
        for (int c = 0; c < k; c++) {
            if (count[c] == 0) {
                setRow(cent, c, data, rows[rnd.nextInt(m)] * stride);
                continue;
            }
            for (int a = 0; a < stride; a++) {
                cent[a][c] = (float) (sum[c * stride + a] / count[c]);
            }
        }
    }
}
