package io.foldin.serve.rank;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ItemScan} with the Vector API. Rows go in blocks of four vectors (64 rows with 16 lanes):
 * per query, the block's four score vectors stay in registers over all D columns, one load and one
 * FMA per column and vector; four independent chains hide the FMA latency. The block's column lines
 * come from memory for the first query of a batch and from L1 for the others. A compare against the
 * query's threshold then finds the lanes worth offering, usually none. Rows past the last full
 * block are scored one at a time by {@link ItemScan#score}, which computes the same roundings.
 */
final class VectorItemScan implements ItemScan {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int BLOCK = 4 * L;
    private final float[] lanes = new float[L];

    VectorItemScan() {
        if (L < 4 || L > 64) {
            throw new UnsupportedOperationException("no usable float vector shape: " + S);
        }
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public void scanBatch(ItemColumns.View v, int rows, int[] counts, ScanQuery[] queries, int n) {
        int d = v.factors();
        float[][] cols = v.cols();
        float[] bias = cols[d];
        float[] inv = v.invNorm();
        int bound = rows - rows % BLOCK;
        for (int r = 0; r < bound; r += BLOCK) {
            FloatVector b0 = FloatVector.fromArray(S, bias, r);
            FloatVector b1 = FloatVector.fromArray(S, bias, r + L);
            FloatVector b2 = FloatVector.fromArray(S, bias, r + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, bias, r + 3 * L);
            for (int q = 0; q < n; q++) {
                ScanQuery x = queries[q];
                float[] u = x.u();
                boolean cosine = x.cosine();
                FloatVector a0;
                FloatVector a1;
                FloatVector a2;
                FloatVector a3;
                if (cosine) {
                    a0 = FloatVector.zero(S);
                    a1 = a0;
                    a2 = a0;
                    a3 = a0;
                } else {
                    float w = x.biasWeight();
                    a0 = b0.mul(w);
                    a1 = b1.mul(w);
                    a2 = b2.mul(w);
                    a3 = b3.mul(w);
                }
                for (int a = 0; a < d; a++) {
                    FloatVector ua = FloatVector.broadcast(S, u[a]);
                    float[] c = cols[a];
                    a0 = FloatVector.fromArray(S, c, r).fma(ua, a0);
                    a1 = FloatVector.fromArray(S, c, r + L).fma(ua, a1);
                    a2 = FloatVector.fromArray(S, c, r + 2 * L).fma(ua, a2);
                    a3 = FloatVector.fromArray(S, c, r + 3 * L).fma(ua, a3);
                }
                if (cosine) {
                    a0 = a0.mul(FloatVector.fromArray(S, inv, r));
                    a1 = a1.mul(FloatVector.fromArray(S, inv, r + L));
                    a2 = a2.mul(FloatVector.fromArray(S, inv, r + 2 * L));
                    a3 = a3.mul(FloatVector.fromArray(S, inv, r + 3 * L));
                }
                select(a0, r, x, counts);
                select(a1, r + L, x, counts);
                select(a2, r + 2 * L, x, counts);
                select(a3, r + 3 * L, x, counts);
            }
        }
        for (int q = 0; q < n; q++) {
            ScanQuery x = queries[q];
            TopK top = x.top();
            for (int r = bound; r < rows; r++) {
                float y = ItemScan.score(v, r, x.u(), x.biasWeight(), x.cosine());
                if (y >= top.threshold() && counts[r] >= x.minCount() && r != x.skipRow()) {
                    top.offer(y, r);
                }
            }
        }
    }

    /** Offers the lanes at or above the threshold (NaN never is); rows increase, as in a scalar scan. */
    private void select(FloatVector acc, int r, ScanQuery x, int[] counts) {
        TopK top = x.top();
        VectorMask<Float> m = acc.compare(VectorOperators.GE, top.threshold());
        if (!m.anyTrue()) {
            return;
        }
        acc.intoArray(lanes, 0);
        long bits = m.toLong();
        int min = x.minCount();
        int skip = x.skipRow();
        while (bits != 0) {
            int lane = Long.numberOfTrailingZeros(bits);
            bits &= bits - 1;
            int row = r + lane;
            float y = lanes[lane];
            if (y >= top.threshold() && counts[row] >= min && row != skip) {
                top.offer(y, row);
            }
        }
    }
}
