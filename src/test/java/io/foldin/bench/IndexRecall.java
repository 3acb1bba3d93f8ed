package io.foldin.bench;

import io.foldin.serve.rank.ItemColumns;
import io.foldin.serve.rank.ItemScan;
import io.foldin.serve.rank.PartitionIndex;
import io.foldin.serve.rank.TopK;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * recall@10 of {@link PartitionIndex} against the exact scan, with the cells visited and rows scored per query,
 * over {@link IndexBench}'s 1,024 queries, for several probe budgets (w = 0.1, the default bias weight).
 * Run: {@code java -Xmx6g -Dfoldin.bench.factors=/tmp/twin-1m -cp target/classes:target/test-classes
 * io.foldin.bench.IndexRecall trained 1000000} (or {@code clustered 1000000}).
 */
public final class IndexRecall {
    private IndexRecall() {
    }

    public static void main(String[] args) throws Exception {
        String data = args[0];
        int items = Integer.parseInt(args[1]);
        Object[] l = IndexBench.load(data, items);
        float[] x = (float[]) l[0];
        int n = (int) l[1];
        float[][] users = (float[][]) l[2];
        int d = IndexBench.D;
        ItemColumns cols = new ItemColumns(d);
        for (int r = 0; r < n; r++) {
            cols.set(r, x, r * (d + 1));
        }
        int[] counts = new int[n];
        ItemScan scan = ItemScan.create();
        long t0 = System.nanoTime();
        int cells = (int) Math.round(Math.sqrt(n));
        PartitionIndex idx = PartitionIndex.build(x, d + 1, n, cells, 42);
        System.out.printf(Locale.ROOT, "%s: %d items, %d cells, built in %.1f s%n", data, n, cells,
                (System.nanoTime() - t0) / 1e9);
        int[][] exact = new int[users.length][10];
        TopK top = new TopK(10);
        for (int q = 0; q < users.length; q++) {
            top.reset(10);
            scan.scan(cols.view(), n, users[q], 0.1f, false, counts, 0, -1, top);
            top.sortDescending();
            for (int i = 0; i < 10; i++) {
                exact[q][i] = top.row(i);
            }
        }
        PartitionIndex.Search ws = new PartitionIndex.Search();
        for (int probes : new int[] {8, 16, 32, 64, 128, Integer.MAX_VALUE}) {
            long hits = 0;
            long visited = 0;
            long scored = 0;
            double worst = 1;
            for (int q = 0; q < users.length; q++) {
                top.reset(10);
                idx.search(users[q], 0.1f, counts, n, 0, -1, top, probes, ws);
                top.sortDescending();
                visited += ws.visited();
                scored += ws.scored();
                Set<Integer> want = new HashSet<>();
                for (int i = 0; i < 10; i++) {
                    want.add(exact[q][i]);
                }
                int h = 0;
                for (int i = 0; i < top.size(); i++) {
                    h += want.contains(top.row(i)) ? 1 : 0;
                }
                hits += h;
                worst = Math.min(worst, h / 10.0);
            }
            System.out.printf(Locale.ROOT, "probes %s: recall@10 %.4f (worst query %.1f), cells visited %.1f, rows "
                            + "scored %.0f (%.2f%% of the items)%n", probes == Integer.MAX_VALUE ? "unbounded" : probes,
                    hits / (10.0 * users.length), worst, visited / (double) users.length,
                    scored / (double) users.length, 100.0 * scored / users.length / n);
        }
    }
}
