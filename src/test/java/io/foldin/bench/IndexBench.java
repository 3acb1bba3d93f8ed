package io.foldin.bench;

import io.foldin.serve.rank.ItemColumns;
import io.foldin.serve.rank.ItemScan;
import io.foldin.serve.rank.PartitionIndex;
import io.foldin.serve.rank.ScanQuery;
import io.foldin.serve.rank.SyntheticFactors;
import io.foldin.serve.rank.TopK;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * CPU per top-10 query at D = 20: the exact scan serving uses below {@code http.index.min.items} (one query, and a
 * batch of 16 per pass: divide by 16), against {@link PartitionIndex} with the default probe budget and with the
 * bound alone (exact). {@code data}: {@code trained} reads item and user factors that
 * {@link TrainedItems} wrote (ALS on the 1M-item twin, {@code -Dfoldin.bench.factors=DIR} with
 * {@code items.f32} and {@code users.f32}; {@code items} then takes the first rows), {@code clustered} uses
 * {@link SyntheticFactors#clustered}, {@code random} (IndexRecall only) {@link SyntheticFactors#random}. Queries cycle through 1,024 users. Recall: {@link IndexRecall}.
 * Run: {@code mvn -q test-compile exec:exec -Djmh.args="IndexBench -jvmArgsAppend -Dfoldin.bench.factors=/tmp/twin-1m"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
public class IndexBench {
    static final int D = 20;
    static final int QUERIES = 1024;

    @Param({"1000000"})
    int items;
    @Param({"trained", "clustered"})
    String data;

    float[] x;
    int n;
    float[][] users;
    int[] counts;
    ItemColumns columns;
    ItemScan scan;
    PartitionIndex index;
    PartitionIndex.Search search;
    TopK top;
    TopK[] tops;
    ScanQuery[] batch;
    int next;

    /** Items and users as the benchmark and {@link IndexRecall} use them. */
    static Object[] load(String data, int items) throws IOException {
        if (data.equals("trained")) {
            String dir = System.getProperty("foldin.bench.factors");
            if (dir == null || !Files.exists(Path.of(dir, "items.f32"))) {
                throw new IllegalStateException("data=trained needs -Dfoldin.bench.factors=DIR with items.f32 and "
                        + "users.f32 from TrainedItems");
            }
            float[] all = TrainedItems.read(Path.of(dir, "items.f32"));
            int n = Math.min(items, all.length / (D + 1));
            float[] x = java.util.Arrays.copyOf(all, n * (D + 1));
            float[] u = TrainedItems.read(Path.of(dir, "users.f32"));
            int m = u.length / (D + 1);
            float[][] users = new float[QUERIES][];
            java.util.SplittableRandom rnd = new java.util.SplittableRandom(9);
            for (int q = 0; q < QUERIES; q++) {
                int r = rnd.nextInt(m);
                users[q] = java.util.Arrays.copyOfRange(u, r * (D + 1), r * (D + 1) + D);
            }
            return new Object[] {x, n, users};
        }
        float[] x = data.equals("random") ? SyntheticFactors.random(items, D, 1) : SyntheticFactors.clustered(items, D, 1);
        return new Object[] {x, items, SyntheticFactors.users(QUERIES, D, 3)};
    }

    @Setup
    public void setup() throws IOException {
        Object[] l = load(data, items);
        x = (float[]) l[0];
        n = (int) l[1];
        users = (float[][]) l[2];
        counts = new int[n];
        columns = new ItemColumns(D);
        for (int r = 0; r < n; r++) {
            columns.set(r, x, r * (D + 1));
        }
        scan = ItemScan.create();
        index = PartitionIndex.build(x, D + 1, n, (int) Math.round(Math.sqrt(n)), 42);
        search = new PartitionIndex.Search();
        top = new TopK(10);
        tops = new TopK[16];
        batch = new ScanQuery[16];
        for (int i = 0; i < 16; i++) {
            tops[i] = new TopK(10);
        }
    }

    private float[] nextUser() {
        next = (next + 1) & (QUERIES - 1);
        return users[next];
    }

    @Benchmark
    public int exactScan() {
        top.reset(10);
        scan.scan(columns.view(), n, nextUser(), 0.1f, false, counts, 0, -1, top);
        top.sortDescending();
        return top.row(0);
    }

    /** 16 queries in one pass, as a loaded scan thread batches them; per query: divide by 16. */
    @Benchmark
    public int exactScanBatch16() {
        for (int i = 0; i < 16; i++) {
            tops[i].reset(10);
            batch[i] = new ScanQuery(nextUser(), 0.1f, false, 0, -1, tops[i]);
        }
        scan.scanBatch(columns.view(), n, counts, batch, 16);
        int s = 0;
        for (int i = 0; i < 16; i++) {
            tops[i].sortDescending();
            s += tops[i].row(0);
        }
        return s;
    }

    @Benchmark
    public int index() {
        top.reset(10);
        index.search(nextUser(), 0.1f, counts, n, 0, -1, top, PartitionIndex.DEFAULT_PROBES, search);
        top.sortDescending();
        return top.row(0);
    }

    @Benchmark
    public int indexBoundOnly() {
        top.reset(10);
        index.search(nextUser(), 0.1f, counts, n, 0, -1, top, Integer.MAX_VALUE, search);
        top.sortDescending();
        return top.row(0);
    }
}
