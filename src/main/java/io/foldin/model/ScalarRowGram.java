package io.foldin.model;

import java.util.Arrays;

/**
 * {@link RowGram} in plain Java: four ratings per pass over the packed G ({@link PackedGram#addOuter4}).
 * The fallback when the Vector API is not available.
 */
final class ScalarRowGram implements RowGram {
    private final int n;
    private final double[][] block;

    ScalarRowGram(int n) {
        this.n = n;
        this.block = new double[4][n];
        for (double[] y : block) {
            y[n - 1] = 1.0;
        }
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void form(int[] cols, float[] vals, int from, int end, float[] other, int stride, double mu,
                     double[] g, double[] h) {
        Arrays.fill(g, 0, PackedGram.size(n), 0);
        Arrays.fill(h, 0, n, 0);
        int d = n - 1;
        int q = 0;
        for (int k = from; k < end; k++) {
            int off = cols[k] * stride;
            double x = vals[k] - mu - other[off + d];
            double[] y = block[q];
            for (int a = 0; a < d; a++) {
                y[a] = other[off + a];
                h[a] += x * y[a];
            }
            h[d] += x;
            if (++q == 4) {
                PackedGram.addOuter4(g, n, block[0], block[1], block[2], block[3]);
                q = 0;
            }
        }
        for (int t = 0; t < q; t++) {
            PackedGram.addOuter(g, n, block[t], 1.0);
        }
    }
}
