package io.foldin.serve.rank;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ItemScan} with the Vector API. Rows go in blocks of four vectors (64 rows with 16 lanes),
 * queries in groups of four (then two, then one): per block and group, the scores of every query and
 * vector stay in registers over all D columns (16 accumulators for four queries), so each column
 * vector loaded feeds four FMAs, and four independent chains per query hide the FMA latency. With one
 * load per FMA the loop was load-bound at 2.2 cycles per FMA here; with four per load it takes 0.8. The
 * block's column lines come from memory for the first group of a batch and from L1 for the others.
 *
 * <p>A compare against each query's threshold then finds the vectors with a row worth offering, usually
 * none; those are stored and offered lane by lane in scalar code. The group methods make no calls: a
 * vector live across a call that is not inlined is boxed, and 16 of them across calls made C1 give up
 * on the method. Rows past the last full block are scored one at a time by {@link ItemScan#score},
 * which computes the same roundings.
 */
final class VectorItemScan implements ItemScan {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int BLOCK = 4 * L;
    /** Rows visited contiguously, a multiple of the block; see {@link ItemScan#chunkAt} for the order. */
    private static final int CHUNK = 512;
    /** The vectors of a group that have a row at or above its query's threshold, vector k at {@code k*L}. */
    private final float[] scores = new float[16 * L];

    VectorItemScan() {
        if (L < 4 || L > 64) {
            throw new UnsupportedOperationException("no usable float vector shape: " + S);
        }
    }

    @Override
    public String name() {
        return "vector";
    }

    /**
     * Per block, each group method returns hit bits: bit {@code 4i + j} set when vector j (rows
     * {@code r + jL ..}) of the group's query i has a score at or above that query's threshold, and then
     * that vector is in {@link #scores} at {@code (4i + j) L}.
     */
    @Override
    public void scanBatch(ItemColumns.View v, int rows, int[] counts, ScanQuery[] queries, int n) {
        int d = v.factors();
        float[][] cols = v.cols();
        float[] inv = v.invNorm();
        int bound = rows - rows % BLOCK;
        int chunks = (bound + CHUNK - 1) / CHUNK;
        for (int c = 0; c < chunks; c++) {
            int from = ItemScan.chunkAt(c, chunks) * CHUNK;
            int to = Math.min(from + CHUNK, bound);
            for (int r = from; r < to; r += BLOCK) {
                block(cols, inv, d, r, counts, queries, n);
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

    /** All queries over the block of rows at {@code r}, in groups of four, two and one. */
    private void block(float[][] cols, float[] inv, int d, int r, int[] counts, ScanQuery[] queries, int n) {
        int q = 0;
        for (; q + 4 <= n; q += 4) {
            int hits = four(cols, inv, d, r, queries[q], queries[q + 1], queries[q + 2], queries[q + 3]);
            if (hits != 0) {
                offer(hits, r, queries, q, counts);
            }
        }
        if (q + 2 <= n) {
            int hits = two(cols, inv, d, r, queries[q], queries[q + 1]);
            if (hits != 0) {
                offer(hits, r, queries, q, counts);
            }
            q += 2;
        }
        if (q < n) {
            int hits = one(cols, inv, d, r, queries[q]);
            if (hits != 0) {
                offer(hits, r, queries, q, counts);
            }
        }
    }

    /** Offers the hit vectors' rows at or above the threshold (NaN never is), in row order per query. */
    private void offer(int hits, int r, ScanQuery[] queries, int q, int[] counts) {
        for (int k = 0; k < 16; k++) {
            if ((hits & (1 << k)) == 0) {
                continue;
            }
            ScanQuery x = queries[q + k / 4];
            TopK top = x.top();
            int min = x.minCount();
            int skip = x.skipRow();
            int base = r + (k % 4) * L;
            for (int j = 0; j < L; j++) {
                float y = scores[k * L + j];
                int row = base + j;
                if (y >= top.threshold() && counts[row] >= min && row != skip) {
                    top.offer(y, row);
                }
            }
        }
    }

    /** Four queries over the block: each column vector loaded feeds four FMAs, 16 accumulators. Returns the hit bits (see {@link #scanBatch}). */
    private int four(float[][] cols, float[] inv, int d, int r, ScanQuery x0, ScanQuery x1, ScanQuery x2, ScanQuery x3) {
        float[] bias = cols[d];
        FloatVector b0 = FloatVector.fromArray(S, bias, r);
        FloatVector b1 = FloatVector.fromArray(S, bias, r + L);
        FloatVector b2 = FloatVector.fromArray(S, bias, r + 2 * L);
        FloatVector b3 = FloatVector.fromArray(S, bias, r + 3 * L);
        float[] u0 = x0.u();
        boolean cos0 = x0.cosine();
        float w0 = x0.biasWeight();
        FloatVector s00 = cos0 ? FloatVector.zero(S) : b0.mul(w0);
        FloatVector s01 = cos0 ? FloatVector.zero(S) : b1.mul(w0);
        FloatVector s02 = cos0 ? FloatVector.zero(S) : b2.mul(w0);
        FloatVector s03 = cos0 ? FloatVector.zero(S) : b3.mul(w0);
        float[] u1 = x1.u();
        boolean cos1 = x1.cosine();
        float w1 = x1.biasWeight();
        FloatVector s10 = cos1 ? FloatVector.zero(S) : b0.mul(w1);
        FloatVector s11 = cos1 ? FloatVector.zero(S) : b1.mul(w1);
        FloatVector s12 = cos1 ? FloatVector.zero(S) : b2.mul(w1);
        FloatVector s13 = cos1 ? FloatVector.zero(S) : b3.mul(w1);
        float[] u2 = x2.u();
        boolean cos2 = x2.cosine();
        float w2 = x2.biasWeight();
        FloatVector s20 = cos2 ? FloatVector.zero(S) : b0.mul(w2);
        FloatVector s21 = cos2 ? FloatVector.zero(S) : b1.mul(w2);
        FloatVector s22 = cos2 ? FloatVector.zero(S) : b2.mul(w2);
        FloatVector s23 = cos2 ? FloatVector.zero(S) : b3.mul(w2);
        float[] u3 = x3.u();
        boolean cos3 = x3.cosine();
        float w3 = x3.biasWeight();
        FloatVector s30 = cos3 ? FloatVector.zero(S) : b0.mul(w3);
        FloatVector s31 = cos3 ? FloatVector.zero(S) : b1.mul(w3);
        FloatVector s32 = cos3 ? FloatVector.zero(S) : b2.mul(w3);
        FloatVector s33 = cos3 ? FloatVector.zero(S) : b3.mul(w3);
        for (int a = 0; a < d; a++) {
            float[] c = cols[a];
            FloatVector c0 = FloatVector.fromArray(S, c, r);
            FloatVector c1 = FloatVector.fromArray(S, c, r + L);
            FloatVector c2 = FloatVector.fromArray(S, c, r + 2 * L);
            FloatVector c3 = FloatVector.fromArray(S, c, r + 3 * L);
            FloatVector k0 = FloatVector.broadcast(S, u0[a]);
            s00 = c0.fma(k0, s00);
            s01 = c1.fma(k0, s01);
            s02 = c2.fma(k0, s02);
            s03 = c3.fma(k0, s03);
            FloatVector k1 = FloatVector.broadcast(S, u1[a]);
            s10 = c0.fma(k1, s10);
            s11 = c1.fma(k1, s11);
            s12 = c2.fma(k1, s12);
            s13 = c3.fma(k1, s13);
            FloatVector k2 = FloatVector.broadcast(S, u2[a]);
            s20 = c0.fma(k2, s20);
            s21 = c1.fma(k2, s21);
            s22 = c2.fma(k2, s22);
            s23 = c3.fma(k2, s23);
            FloatVector k3 = FloatVector.broadcast(S, u3[a]);
            s30 = c0.fma(k3, s30);
            s31 = c1.fma(k3, s31);
            s32 = c2.fma(k3, s32);
            s33 = c3.fma(k3, s33);
        }
        if (cos0) {
            s00 = s00.mul(FloatVector.fromArray(S, inv, r));
            s01 = s01.mul(FloatVector.fromArray(S, inv, r + L));
            s02 = s02.mul(FloatVector.fromArray(S, inv, r + 2 * L));
            s03 = s03.mul(FloatVector.fromArray(S, inv, r + 3 * L));
        }
        if (cos1) {
            s10 = s10.mul(FloatVector.fromArray(S, inv, r));
            s11 = s11.mul(FloatVector.fromArray(S, inv, r + L));
            s12 = s12.mul(FloatVector.fromArray(S, inv, r + 2 * L));
            s13 = s13.mul(FloatVector.fromArray(S, inv, r + 3 * L));
        }
        if (cos2) {
            s20 = s20.mul(FloatVector.fromArray(S, inv, r));
            s21 = s21.mul(FloatVector.fromArray(S, inv, r + L));
            s22 = s22.mul(FloatVector.fromArray(S, inv, r + 2 * L));
            s23 = s23.mul(FloatVector.fromArray(S, inv, r + 3 * L));
        }
        if (cos3) {
            s30 = s30.mul(FloatVector.fromArray(S, inv, r));
            s31 = s31.mul(FloatVector.fromArray(S, inv, r + L));
            s32 = s32.mul(FloatVector.fromArray(S, inv, r + 2 * L));
            s33 = s33.mul(FloatVector.fromArray(S, inv, r + 3 * L));
        }
        int hits = 0;
        float t0 = x0.top().threshold();
        if (s00.compare(VectorOperators.GE, t0).anyTrue()) {
            hits |= 1;
            s00.intoArray(scores, 0);
        }
        if (s01.compare(VectorOperators.GE, t0).anyTrue()) {
            hits |= 2;
            s01.intoArray(scores, L);
        }
        if (s02.compare(VectorOperators.GE, t0).anyTrue()) {
            hits |= 4;
            s02.intoArray(scores, 2 * L);
        }
        if (s03.compare(VectorOperators.GE, t0).anyTrue()) {
            hits |= 8;
            s03.intoArray(scores, 3 * L);
        }
        float t1 = x1.top().threshold();
        if (s10.compare(VectorOperators.GE, t1).anyTrue()) {
            hits |= 16;
            s10.intoArray(scores, 4 * L);
        }
        if (s11.compare(VectorOperators.GE, t1).anyTrue()) {
            hits |= 32;
            s11.intoArray(scores, 5 * L);
        }
        if (s12.compare(VectorOperators.GE, t1).anyTrue()) {
            hits |= 64;
            s12.intoArray(scores, 6 * L);
        }
        if (s13.compare(VectorOperators.GE, t1).anyTrue()) {
            hits |= 128;
            s13.intoArray(scores, 7 * L);
        }
        float t2 = x2.top().threshold();
        if (s20.compare(VectorOperators.GE, t2).anyTrue()) {
            hits |= 256;
            s20.intoArray(scores, 8 * L);
        }
        if (s21.compare(VectorOperators.GE, t2).anyTrue()) {
            hits |= 512;
            s21.intoArray(scores, 9 * L);
        }
        if (s22.compare(VectorOperators.GE, t2).anyTrue()) {
            hits |= 1024;
            s22.intoArray(scores, 10 * L);
        }
        if (s23.compare(VectorOperators.GE, t2).anyTrue()) {
            hits |= 2048;
            s23.intoArray(scores, 11 * L);
        }
        float t3 = x3.top().threshold();
        if (s30.compare(VectorOperators.GE, t3).anyTrue()) {
            hits |= 4096;
            s30.intoArray(scores, 12 * L);
        }
        if (s31.compare(VectorOperators.GE, t3).anyTrue()) {
            hits |= 8192;
            s31.intoArray(scores, 13 * L);
        }
        if (s32.compare(VectorOperators.GE, t3).anyTrue()) {
            hits |= 16384;
            s32.intoArray(scores, 14 * L);
        }
        if (s33.compare(VectorOperators.GE, t3).anyTrue()) {
            hits |= 32768;
            s33.intoArray(scores, 15 * L);
        }
        return hits;
    }

    /** Two queries over the block: each column vector loaded feeds two FMAs. Returns the hit bits (see {@link #scanBatch}). */
    private int two(float[][] cols, float[] inv, int d, int r, ScanQuery x0, ScanQuery x1) {
        float[] bias = cols[d];
        FloatVector b0 = FloatVector.fromArray(S, bias, r);
        FloatVector b1 = FloatVector.fromArray(S, bias, r + L);
        FloatVector b2 = FloatVector.fromArray(S, bias, r + 2 * L);
        FloatVector b3 = FloatVector.fromArray(S, bias, r + 3 * L);
        float[] u0 = x0.u();
        boolean cos0 = x0.cosine();
        float w0 = x0.biasWeight();
        FloatVector s00 = cos0 ? FloatVector.zero(S) : b0.mul(w0);
        FloatVector s01 = cos0 ? FloatVector.zero(S) : b1.mul(w0);
        FloatVector s02 = cos0 ? FloatVector.zero(S) : b2.mul(w0);
        FloatVector s03 = cos0 ? FloatVector.zero(S) : b3.mul(w0);
        float[] u1 = x1.u();
        boolean cos1 = x1.cosine();
        float w1 = x1.biasWeight();
        FloatVector s10 = cos1 ? FloatVector.zero(S) : b0.mul(w1);
        FloatVector s11 = cos1 ? FloatVector.zero(S) : b1.mul(w1);
        FloatVector s12 = cos1 ? FloatVector.zero(S) : b2.mul(w1);
        FloatVector s13 = cos1 ? FloatVector.zero(S) : b3.mul(w1);
        for (int a = 0; a < d; a++) {
            float[] c = cols[a];
            FloatVector c0 = FloatVector.fromArray(S, c, r);
            FloatVector c1 = FloatVector.fromArray(S, c, r + L);
            FloatVector c2 = FloatVector.fromArray(S, c, r + 2 * L);
            FloatVector c3 = FloatVector.fromArray(S, c, r + 3 * L);
            FloatVector k0 = FloatVector.broadcast(S, u0[a]);
            s00 = c0.fma(k0, s00);
            s01 = c1.fma(k0, s01);
            s02 = c2.fma(k0, s02);
            s03 = c3.fma(k0, s03);
            FloatVector k1 = FloatVector.broadcast(S, u1[a]);
            s10 = c0.fma(k1, s10);
            s11 = c1.fma(k1, s11);
            s12 = c2.fma(k1, s12);
            s13 = c3.fma(k1, s13);
        }
        if (cos0) {
            s00 = s00.mul(FloatVector.fromArray(S, inv, r));
            s01 = s01.mul(FloatVector.fromArray(S, inv, r + L));
            s02 = s02.mul(FloatVector.fromArray(S, inv, r + 2 * L));
            s03 = s03.mul(FloatVector.fromArray(S, inv, r + 3 * L));
        }
        if (cos1) {
            s10 = s10.mul(FloatVector.fromArray(S, inv, r));
            s11 = s11.mul(FloatVector.fromArray(S, inv, r + L));
            s12 = s12.mul(FloatVector.fromArray(S, inv, r + 2 * L));
            s13 = s13.mul(FloatVector.fromArray(S, inv, r + 3 * L));
        }
        int hits = 0;
        float t0 = x0.top().threshold();
        if (s00.compare(VectorOperators.GE, t0).anyTrue()) {
            hits |= 1;
            s00.intoArray(scores, 0);
        }
        if (s01.compare(VectorOperators.GE, t0).anyTrue()) {
            hits |= 2;
            s01.intoArray(scores, L);
        }
        if (s02.compare(VectorOperators.GE, t0).anyTrue()) {
            hits |= 4;
            s02.intoArray(scores, 2 * L);
        }
        if (s03.compare(VectorOperators.GE, t0).anyTrue()) {
            hits |= 8;
            s03.intoArray(scores, 3 * L);
        }
        float t1 = x1.top().threshold();
        if (s10.compare(VectorOperators.GE, t1).anyTrue()) {
            hits |= 16;
            s10.intoArray(scores, 4 * L);
        }
        if (s11.compare(VectorOperators.GE, t1).anyTrue()) {
            hits |= 32;
            s11.intoArray(scores, 5 * L);
        }
        if (s12.compare(VectorOperators.GE, t1).anyTrue()) {
            hits |= 64;
            s12.intoArray(scores, 6 * L);
        }
        if (s13.compare(VectorOperators.GE, t1).anyTrue()) {
            hits |= 128;
            s13.intoArray(scores, 7 * L);
        }
        return hits;
    }

    /** One query over the block of rows at {@code r}: four FMA chains, one load per FMA. Returns the hit bits (see {@link #scanBatch}). */
    private int one(float[][] cols, float[] inv, int d, int r, ScanQuery x0) {
        float[] bias = cols[d];
        FloatVector b0 = FloatVector.fromArray(S, bias, r);
        FloatVector b1 = FloatVector.fromArray(S, bias, r + L);
        FloatVector b2 = FloatVector.fromArray(S, bias, r + 2 * L);
        FloatVector b3 = FloatVector.fromArray(S, bias, r + 3 * L);
        float[] u0 = x0.u();
        boolean cos0 = x0.cosine();
        float w0 = x0.biasWeight();
        FloatVector s00 = cos0 ? FloatVector.zero(S) : b0.mul(w0);
        FloatVector s01 = cos0 ? FloatVector.zero(S) : b1.mul(w0);
        FloatVector s02 = cos0 ? FloatVector.zero(S) : b2.mul(w0);
        FloatVector s03 = cos0 ? FloatVector.zero(S) : b3.mul(w0);
        for (int a = 0; a < d; a++) {
            float[] c = cols[a];
            FloatVector c0 = FloatVector.fromArray(S, c, r);
            FloatVector c1 = FloatVector.fromArray(S, c, r + L);
            FloatVector c2 = FloatVector.fromArray(S, c, r + 2 * L);
            FloatVector c3 = FloatVector.fromArray(S, c, r + 3 * L);
            FloatVector k0 = FloatVector.broadcast(S, u0[a]);
            s00 = c0.fma(k0, s00);
            s01 = c1.fma(k0, s01);
            s02 = c2.fma(k0, s02);
            s03 = c3.fma(k0, s03);
        }
        if (cos0) {
            s00 = s00.mul(FloatVector.fromArray(S, inv, r));
            s01 = s01.mul(FloatVector.fromArray(S, inv, r + L));
            s02 = s02.mul(FloatVector.fromArray(S, inv, r + 2 * L));
            s03 = s03.mul(FloatVector.fromArray(S, inv, r + 3 * L));
        }
        int hits = 0;
        float t0 = x0.top().threshold();
        if (s00.compare(VectorOperators.GE, t0).anyTrue()) {
            hits |= 1;
            s00.intoArray(scores, 0);
        }
        if (s01.compare(VectorOperators.GE, t0).anyTrue()) {
            hits |= 2;
            s01.intoArray(scores, L);
        }
        if (s02.compare(VectorOperators.GE, t0).anyTrue()) {
            hits |= 4;
            s02.intoArray(scores, 2 * L);
        }
        if (s03.compare(VectorOperators.GE, t0).anyTrue()) {
            hits |= 8;
            s03.intoArray(scores, 3 * L);
        }
        return hits;
    }
}
