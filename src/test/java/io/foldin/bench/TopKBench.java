package io.foldin.bench;

import io.foldin.serve.rank.ItemColumns;
import io.foldin.serve.rank.ItemScan;
import io.foldin.serve.rank.ScanQuery;
import io.foldin.serve.rank.TopK;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Top-(k+m) over the twin's catalogue (84,432 items, D = 20), three ways: the straightforward
 * row-major scores + full sort (before), row-major scores + heap selection, and the column-major
 * tiled scan + heap that serving uses (after).
 * The {@code batch*} benchmarks scan B queries against the same table per operation (B = {@code batch});
 * divide by B for the cost per query: one call of the single-query scan per query, against prototypes
 * of a batched pass that reads each tile of columns once for all B queries.
 * Run: {@code mvn -q test-compile exec:exec -Djmh.args="TopKBench"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TopKBench {
    @Param({"84432"})
    int items;
    @Param({"20"})
    int factors;
    @Param({"60"})
    int candidates;

    int stride;
    float[] rowMajor;
    int[] counts;
    float[] user;
    float[] scores;
    long[] packed;
    ItemColumns columns;
    ItemScan scan;
    TopK top;

    @Setup
    public void setup() {
        stride = factors + 1;
        SplittableRandom rnd = new SplittableRandom(7);
        rowMajor = new float[items * stride];
        for (int j = 0; j < rowMajor.length; j++) {
            rowMajor[j] = (float) (rnd.nextGaussian() * 0.3);
        }
        counts = new int[items];
        for (int r = 0; r < items; r++) {
            counts[r] = rnd.nextInt(100);
        }
        user = new float[factors];
        for (int a = 0; a < factors; a++) {
            user[a] = (float) rnd.nextGaussian();
        }
        scores = new float[items];
        packed = new long[items];
        columns = new ItemColumns(factors);
        for (int r = 0; r < items; r++) {
            columns.set(r, rowMajor, r * stride);
        }
        scan = ItemScan.create();
        top = new TopK(candidates);
    }

    private void rowScores() {
        int d = factors;
        for (int r = 0; r < items; r++) {
            int base = r * stride;
            float s = rowMajor[base + d];
            for (int a = 0; a < d; a++) {
                s += user[a] * rowMajor[base + a];
            }
            scores[r] = s;
        }
    }

    /** Before: every score, then a full sort of (score, row) packed into longs. */
    @Benchmark
    public long rowMajorFullSort() {
        rowScores();
        for (int r = 0; r < items; r++) {
            int bits = Float.floatToIntBits(scores[r]);
            int key = bits >= 0 ? bits : bits ^ 0x7FFFFFFF; // order-preserving for negative floats
            packed[r] = ((long) key << 32) | (items - 1 - r);
        }
        Arrays.sort(packed);
        return packed[items - 1] + packed[items - candidates];
    }

    /** Row-major scores with partial selection. */
    @Benchmark
    public int rowMajorHeap() {
        rowScores();
        top.reset(candidates);
        for (int r = 0; r < items; r++) {
            if (counts[r] >= 0) {
                top.offer(scores[r], r);
            }
        }
        top.sortDescending();
        return top.row(0);
    }

    /** After: column-major tiled scan, fused selection. */
    @Benchmark
    public int columnsHeap() {
        top.reset(candidates);
        scan.scan(columns.view(), items, user, 1f, false, counts, 0, -1, top);
        top.sortDescending();
        return top.row(0);
    }

    /** B query vectors and their selections, for the batched variants. */
    @State(Scope.Thread)
    public static class Batch {
        @Param({"1", "2", "4", "8", "16"})
        int batch;
        @Param({"vector", "scalar"})
        String kernel;
        float[][] users;
        TopK[] tops;
        ScanQuery[] queries;
        ItemScan scan;
        float[][] tileCols;
        float[][] tileScores;

        @Setup
        public void setup(TopKBench b) {
            System.setProperty(ItemScan.KERNEL_PROPERTY, kernel);
            scan = ItemScan.create();
            System.clearProperty(ItemScan.KERNEL_PROPERTY);
            SplittableRandom rnd = new SplittableRandom(11);
            users = new float[batch][b.factors];
            tops = new TopK[batch];
            for (int q = 0; q < batch; q++) {
                for (int a = 0; a < b.factors; a++) {
                    users[q][a] = (float) rnd.nextGaussian();
                }
                tops[q] = new TopK(b.candidates);
            }
            queries = new ScanQuery[batch];
            for (int q = 0; q < batch; q++) {
                queries[q] = new ScanQuery(users[q], 1f, false, 0, -1, tops[q]);
            }
            tileCols = new float[b.factors + 1][TILE];
            tileScores = new float[batch][TILE];
        }
    }

    /** B queries in one pass of the kernel ({@link ItemScan#scanBatch}). */
    @Benchmark
    public int batchPass(Batch b) {
        for (int q = 0; q < b.batch; q++) {
            b.tops[q].reset(candidates);
        }
        b.scan.scanBatch(columns.view(), items, counts, b.queries, b.batch);
        int x = 0;
        for (int q = 0; q < b.batch; q++) {
            b.tops[q].sortDescending();
            x += b.tops[q].row(0);
        }
        return x;
    }

    static final int TILE = 512;
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** B single-query scans, one after the other. */
    @Benchmark
    public int batchSequential(Batch b) {
        int x = 0;
        for (int q = 0; q < b.batch; q++) {
            b.tops[q].reset(candidates);
            b.scan.scan(columns.view(), items, b.users[q], 1f, false, counts, 0, -1, b.tops[q]);
            b.tops[q].sortDescending();
            x += b.tops[q].row(0);
        }
        return x;
    }

    /**
     * Prototype: per tile, the tile's columns are copied into tile-local arrays (same index on both
     * sides of {@code t[j] += u_a c[j]}, which C2 vectorises) and scored for every query while in L1.
     */
    @Benchmark
    public int batchTiledScalar(Batch b) {
        int d = factors;
        float[][] cols = columns.view().cols();
        for (int q = 0; q < b.batch; q++) {
            b.tops[q].reset(candidates);
        }
        float[][] ct = b.tileCols;
        for (int base = 0; base < items; base += TILE) {
            int n = Math.min(TILE, items - base);
            for (int a = 0; a <= d; a++) {
                System.arraycopy(cols[a], base, ct[a], 0, n);
            }
            for (int q = 0; q < b.batch; q++) {
                float[] t = b.tileScores[q];
                float[] u = b.users[q];
                float[] bias = ct[d];
                for (int j = 0; j < n; j++) {
                    t[j] = bias[j];
                }
                for (int a = 0; a < d; a++) {
                    float ua = u[a];
                    float[] c = ct[a];
                    for (int j = 0; j < n; j++) {
                        t[j] += ua * c[j];
                    }
                }
                TopK top = b.tops[q];
                float threshold = top.threshold();
                for (int j = 0; j < n; j++) {
                    if (t[j] >= threshold && counts[base + j] >= 0) {
                        top.offer(t[j], base + j);
                        threshold = top.threshold();
                    }
                }
            }
        }
        int x = 0;
        for (int q = 0; q < b.batch; q++) {
            b.tops[q].sortDescending();
            x += b.tops[q].row(0);
        }
        return x;
    }

    /**
     * Prototype with the Vector API: per block of L rows (one vector), each query's score stays in a
     * register over all D columns ({@code acc = fma(c_a[r..r+L), u_a, acc)}), one load and one FMA per
     * column; the block's column lines are loaded from memory by the first query, from L1 by the rest.
     */
    @Benchmark
    public int batchVector(Batch b) {
        int d = factors;
        float[][] cols = columns.view().cols();
        float[] bias = cols[d];
        int nq = b.batch;
        for (int q = 0; q < nq; q++) {
            b.tops[q].reset(candidates);
        }
        int l = S.length();
        int bound = items - items % l;
        for (int r = 0; r < bound; r += l) {
            FloatVector bv = FloatVector.fromArray(S, bias, r);
            for (int q = 0; q < nq; q++) {
                float[] u = b.users[q];
                FloatVector acc = bv;
                for (int a = 0; a < d; a++) {
                    acc = FloatVector.fromArray(S, cols[a], r).fma(FloatVector.broadcast(S, u[a]), acc);
                }
                TopK top = b.tops[q];
                VectorMask<Float> m = acc.compare(VectorOperators.GE, top.threshold());
                if (m.anyTrue()) {
                    offer(acc, m, r, top);
                }
            }
        }
        int x = 0;
        for (int q = 0; q < nq; q++) {
            TopK top = b.tops[q];
            for (int r = bound; r < items; r++) {
                float s = bias[r];
                for (int a = 0; a < d; a++) {
                    s += b.users[q][a] * cols[a][r];
                }
                top.offer(s, r);
            }
            top.sortDescending();
            x += top.row(0);
        }
        return x;
    }

    /** As {@link #batchVector}, with four queries' accumulators per column load. */
    @Benchmark
    public int batchVector4(Batch b) {
        int d = factors;
        float[][] cols = columns.view().cols();
        float[] bias = cols[d];
        int nq = b.batch;
        for (int q = 0; q < nq; q++) {
            b.tops[q].reset(candidates);
        }
        int l = S.length();
        int bound = items - items % l;
        for (int r = 0; r < bound; r += l) {
            FloatVector bv = FloatVector.fromArray(S, bias, r);
            int q = 0;
            for (; q + 4 <= nq; q += 4) {
                float[] u0 = b.users[q];
                float[] u1 = b.users[q + 1];
                float[] u2 = b.users[q + 2];
                float[] u3 = b.users[q + 3];
                FloatVector a0 = bv;
                FloatVector a1 = bv;
                FloatVector a2 = bv;
                FloatVector a3 = bv;
                for (int a = 0; a < d; a++) {
                    FloatVector c = FloatVector.fromArray(S, cols[a], r);
                    a0 = c.fma(FloatVector.broadcast(S, u0[a]), a0);
                    a1 = c.fma(FloatVector.broadcast(S, u1[a]), a1);
                    a2 = c.fma(FloatVector.broadcast(S, u2[a]), a2);
                    a3 = c.fma(FloatVector.broadcast(S, u3[a]), a3);
                }
                select(a0, r, b.tops[q]);
                select(a1, r, b.tops[q + 1]);
                select(a2, r, b.tops[q + 2]);
                select(a3, r, b.tops[q + 3]);
            }
            for (; q < nq; q++) {
                float[] u = b.users[q];
                FloatVector acc = bv;
                for (int a = 0; a < d; a++) {
                    acc = FloatVector.fromArray(S, cols[a], r).fma(FloatVector.broadcast(S, u[a]), acc);
                }
                select(acc, r, b.tops[q]);
            }
        }
        int x = 0;
        for (int q = 0; q < nq; q++) {
            TopK top = b.tops[q];
            for (int r = bound; r < items; r++) {
                float s = bias[r];
                for (int a = 0; a < d; a++) {
                    s += b.users[q][a] * cols[a][r];
                }
                top.offer(s, r);
            }
            top.sortDescending();
            x += top.row(0);
        }
        return x;
    }

    /**
     * As {@link #batchVector}, four vectors of rows per query at a time: four independent FMA chains
     * instead of one, so the FMA latency overlaps.
     */
    @Benchmark
    public int batchVectorRows(Batch b) {
        int d = factors;
        float[][] cols = columns.view().cols();
        float[] bias = cols[d];
        int nq = b.batch;
        for (int q = 0; q < nq; q++) {
            b.tops[q].reset(candidates);
        }
        int l = S.length();
        int step = 4 * l;
        int bound = items - items % step;
        for (int r = 0; r < bound; r += step) {
            FloatVector b0 = FloatVector.fromArray(S, bias, r);
            FloatVector b1 = FloatVector.fromArray(S, bias, r + l);
            FloatVector b2 = FloatVector.fromArray(S, bias, r + 2 * l);
            FloatVector b3 = FloatVector.fromArray(S, bias, r + 3 * l);
            for (int q = 0; q < nq; q++) {
                float[] u = b.users[q];
                FloatVector a0 = b0;
                FloatVector a1 = b1;
                FloatVector a2 = b2;
                FloatVector a3 = b3;
                for (int a = 0; a < d; a++) {
                    FloatVector ua = FloatVector.broadcast(S, u[a]);
                    float[] c = cols[a];
                    a0 = FloatVector.fromArray(S, c, r).fma(ua, a0);
                    a1 = FloatVector.fromArray(S, c, r + l).fma(ua, a1);
                    a2 = FloatVector.fromArray(S, c, r + 2 * l).fma(ua, a2);
                    a3 = FloatVector.fromArray(S, c, r + 3 * l).fma(ua, a3);
                }
                TopK top = b.tops[q];
                select(a0, r, top);
                select(a1, r + l, top);
                select(a2, r + 2 * l, top);
                select(a3, r + 3 * l, top);
            }
        }
        int x = 0;
        for (int q = 0; q < nq; q++) {
            TopK top = b.tops[q];
            for (int r = bound; r < items; r++) {
                float s = bias[r];
                for (int a = 0; a < d; a++) {
                    s += b.users[q][a] * cols[a][r];
                }
                top.offer(s, r);
            }
            top.sortDescending();
            x += top.row(0);
        }
        return x;
    }

    private void select(FloatVector acc, int r, TopK top) {
        VectorMask<Float> m = acc.compare(VectorOperators.GE, top.threshold());
        if (m.anyTrue()) {
            offer(acc, m, r, top);
        }
    }

    private void offer(FloatVector acc, VectorMask<Float> m, int r, TopK top) {
        long bits = m.toLong();
        while (bits != 0) {
            int lane = Long.numberOfTrailingZeros(bits);
            bits &= bits - 1;
            if (counts[r + lane] >= 0) {
                top.offer(acc.lane(lane), r + lane);
            }
        }
    }
}
