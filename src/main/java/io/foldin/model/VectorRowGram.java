package io.foldin.model;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RowGram} with the Vector API. The row's ratings are gathered, a chunk at a time, into a
 * contiguous double workspace of rows {@code z_k = [V_j; 1; x_k; 0…]} padded to p columns, so that
 * {@code Z_cᵀ Z_c} holds both G (first n rows and columns) and h (column n). That product is formed by
 * tiles of 8 rows × one vector of L columns held in registers over the whole chunk: per rating one
 * vector load, then 8 broadcast multiply-adds. Tiles cover the upper triangle block-wise only.
 */
final class VectorRowGram implements RowGram {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Floats of the factor table loaded per step, widened to one double vector. */
    private static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(32 * L));
    /** Rows per tile: 8 accumulators plus the loaded vector stay within 16 vector registers. */
    private static final int R = 8;
    /** Ratings per chunk: CHUNK x p doubles (24 KB at p = 24) stays in L1 across the tiles. */
    private static final int CHUNK = 128;

    private final int n;
    private final int p;
    private final double[] z;
    private final double[] acc;
    /** Keeps the touching loads of {@link #gather} from being removed as dead code. */
    private int sink;

    VectorRowGram(int n) {
        if (L < 2) {
            throw new UnsupportedOperationException("no usable double vector shape: " + S);
        }
        this.n = n;
        this.p = roundUp(n + 1, Math.max(R, L));
        this.z = new double[CHUNK * p];
        this.acc = new double[roundUp(n, R) * p];
    }

    private static int roundUp(int x, int m) {
        return (x + m - 1) / m * m;
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public void form(int[] cols, float[] vals, int from, int end, float[] other, int stride, double mu,
                     double[] g, double[] h) {
        Arrays.fill(acc, 0);
        for (int k = from; k < end; k += CHUNK) {
            int m = Math.min(CHUNK, end - k);
            gather(cols, vals, k, m, other, stride, mu);
            for (int c = 0; c <= n; c += L) {
                int rows = Math.min(c + L, n);
                for (int r0 = 0; r0 < rows; r0 += R) {
                    tile(m, r0, c);
                }
            }
        }
        int q = 0;
        for (int a = 0; a < n; a++) {
            int row = a * p;
            for (int b = a; b < n; b++) {
                g[q++] = acc[row + b];
            }
            h[a] = acc[row + n];
        }
    }

    /**
     * {@code z_k = [V_j; 1; r_k − μ − b_j]} for the m ratings from {@code k0}; padding stays 0. A first
     * pass only reads each factor row's cache lines: with few instructions per rating, many misses are
     * in flight at once, and the converting pass then finds the rows in cache.
     */
    private void gather(int[] cols, float[] vals, int k0, int m, float[] other, int stride, double mu) {
        int d = n - 1;
        int touched = 0;
        for (int i = 0; i < m; i++) {
            int off = cols[k0 + i] * stride;
            touched += Float.floatToRawIntBits(other[off]) ^ Float.floatToRawIntBits(other[off + d / 2])
                    ^ Float.floatToRawIntBits(other[off + d]);
        }
        sink += touched;
        int vd = d - d % L;
        for (int i = 0; i < m; i++) {
            int off = cols[k0 + i] * stride;
            int base = i * p;
            if (d >= L) {
                for (int a = 0; a < vd; a += L) {
                    widen(other, off + a, base + a);
                }
                // the last L entries, overlapping the ones already written: no scalar tail
                widen(other, off + d - L, base + d - L);
            } else {
                for (int a = 0; a < d; a++) {
                    z[base + a] = other[off + a];
                }
            }
            z[base + d] = 1.0;
            z[base + n] = vals[k0 + i] - mu - other[off + d];
        }
    }

    private void widen(float[] other, int from, int to) {
        ((DoubleVector) FloatVector.fromArray(F, other, from).convertShape(VectorOperators.F2D, S, 0))
                .intoArray(z, to);
    }

    /** {@code acc[r0+t][c .. c+L) += Σ_k z_k[r0+t] z_k[c .. c+L)} for t < 8, over the chunk's m rows. */
    private void tile(int m, int r0, int c) {
        DoubleVector a0 = DoubleVector.zero(S);
        DoubleVector a1 = a0;
        DoubleVector a2 = a0;
        DoubleVector a3 = a0;
        DoubleVector a4 = a0;
        DoubleVector a5 = a0;
        DoubleVector a6 = a0;
        DoubleVector a7 = a0;
        double[] w = z;
        for (int i = 0, base = 0; i < m; i++, base += p) {
            DoubleVector y = DoubleVector.fromArray(S, w, base + c);
            int s = base + r0;
            a0 = y.fma(DoubleVector.broadcast(S, w[s]), a0);
            a1 = y.fma(DoubleVector.broadcast(S, w[s + 1]), a1);
            a2 = y.fma(DoubleVector.broadcast(S, w[s + 2]), a2);
            a3 = y.fma(DoubleVector.broadcast(S, w[s + 3]), a3);
            a4 = y.fma(DoubleVector.broadcast(S, w[s + 4]), a4);
            a5 = y.fma(DoubleVector.broadcast(S, w[s + 5]), a5);
            a6 = y.fma(DoubleVector.broadcast(S, w[s + 6]), a6);
            a7 = y.fma(DoubleVector.broadcast(S, w[s + 7]), a7);
        }
        int o = r0 * p + c;
        add(a0, o);
        add(a1, o + p);
        add(a2, o + 2 * p);
        add(a3, o + 3 * p);
        add(a4, o + 4 * p);
        add(a5, o + 5 * p);
        add(a6, o + 6 * p);
        add(a7, o + 7 * p);
    }

    private void add(DoubleVector v, int o) {
        v.add(DoubleVector.fromArray(S, acc, o)).intoArray(acc, o);
    }
}
