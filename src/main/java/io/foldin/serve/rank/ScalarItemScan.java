package io.foldin.serve.rank;

/**
 * {@link ItemScan} in plain Java, for JVMs without {@code jdk.incubator.vector}. Rows are processed in
 * tiles of {@value #TILE}; per tile and query, each column adds {@code u_a · V[a][tile]} to the tile's
 * scores, a loop over contiguous floats that C2 vectorises, then one pass offers the rows above the
 * current threshold. The score buffers are indexed like the columns ({@code s[r] = fma(u_a, c[r], s[r])}):
 * with the same index on both arrays C2 needs no aliasing proof, while a tile-local
 * {@code t[j] += u_a c[base + j]} is left scalar (measured in TopKBench). So each query of a batch has a
 * buffer as long as the table; the tile's columns stay in L1 from the first query to the last. Tiles are
 * visited in the order of {@link ItemScan#chunkAt}.
 */
final class ScalarItemScan implements ItemScan {
    static final int TILE = 512;
    private float[][] s = new float[1][TILE];

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void scanBatch(ItemColumns.View v, int rows, int[] counts, ScanQuery[] queries, int n) {
        int d = v.factors();
        float[][] cols = v.cols();
        float[] bias = cols[d];
        float[] inv = v.invNorm();
        buffers(n, rows);
        int tiles = (rows + TILE - 1) / TILE;
        for (int i = 0; i < tiles; i++) {
            int base = ItemScan.chunkAt(i, tiles) * TILE;
            int end = Math.min(base + TILE, rows);
            for (int q = 0; q < n; q++) {
                ScanQuery x = queries[q];
                float[] t = s[q];
                float[] u = x.u();
                boolean cosine = x.cosine();
                if (cosine) {
                    for (int r = base; r < end; r++) {
                        t[r] = 0f;
                    }
                } else {
                    float w = x.biasWeight();
                    for (int r = base; r < end; r++) {
                        t[r] = w * bias[r];
                    }
                }
                for (int a = 0; a < d; a++) {
                    float ua = u[a];
                    float[] c = cols[a];
                    for (int r = base; r < end; r++) {
                        t[r] = Math.fma(ua, c[r], t[r]);
                    }
                }
                if (cosine) {
                    for (int r = base; r < end; r++) {
                        t[r] *= inv[r];
                    }
                }
                TopK top = x.top();
                int min = x.minCount();
                int skip = x.skipRow();
                float threshold = top.threshold();
                for (int r = base; r < end; r++) {
                    float y = t[r];
                    if (y >= threshold && counts[r] >= min && r != skip) {
                        top.offer(y, r);
                        threshold = top.threshold();
                    }
                }
            }
        }
    }

    private void buffers(int n, int rows) {
        if (s.length < n) {
            float[][] grown = new float[n][];
            System.arraycopy(s, 0, grown, 0, s.length);
            s = grown;
        }
        for (int q = 0; q < n; q++) {
            if (s[q] == null || s[q].length < rows) {
                s[q] = new float[rows + rows / 4];
            }
        }
    }
}
