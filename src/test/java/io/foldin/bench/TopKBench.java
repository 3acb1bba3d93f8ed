package io.foldin.bench;

import io.foldin.serve.rank.ItemColumns;
import io.foldin.serve.rank.ItemScan;
import io.foldin.serve.rank.ScanQuery;
import io.foldin.serve.rank.TopK;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
 * The {@code batch*} benchmarks scan B queries against the same table per operation (B = {@code batch},
 * with the {@code vector} or {@code scalar} kernel); divide by B for the cost per query: B single-query
 * scans one after the other, against one batched pass that reads each block of columns once for all B.
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
        }
    }

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
}
