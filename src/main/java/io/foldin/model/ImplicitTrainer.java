package io.foldin.model;

import io.foldin.data.RatingMatrix;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Full implicit-ALS sweeps ({@link ImplicitAls}): every user solved exactly with the items fixed
 * (sharing one {@code YᵀY}), then every item with the users fixed (sharing {@code XᵀX}). Rows are
 * spread over {@code threads} workers in blocks of about equal interaction count, as in
 * {@link AlsTrainer}. Each half-sweep minimises the loss exactly in its block of variables, so the
 * loss never increases. The matrix values are interaction weights w (c = 1 + α w).
 */
public final class ImplicitTrainer implements AutoCloseable {
    private static final int BLOCKS_PER_THREAD = 64;
    /** Full sweeps of an offline fit when none are asked for. */
    public static final int DEFAULT_SWEEPS = 15;

    private final ImplicitParams params;
    private final int threads;
    private final ExecutorService pool;

    public ImplicitTrainer(ImplicitParams params, int threads) {
        this.pool = AlsTrainer.sweepPool(threads, "ials-sweep");
        this.params = params;
        this.threads = threads;
    }

    public ImplicitParams params() {
        return params;
    }

    /** One sweep: users, then items. */
    public void sweep(Factors users, Factors items, RatingMatrix weights) {
        solve("user", weights.byUser(), users, items);
        solve("item", weights.byItem(), items, users);
    }

    /** Solves every row of {@code self} against {@code other}, whose Gram is formed once here. */
    public void solve(String side, RatingMatrix.Csr rows, Factors self, Factors other) {
        double[] gram = ImplicitAls.gram(other, other.count());
        int numRows = Math.min(rows.rows(), self.count());
        int[] bounds = AlsTrainer.balancedBlocks(rows.start(), numRows, threads * BLOCKS_PER_THREAD);
        AtomicInteger next = new AtomicInteger();
        List<Future<Integer>> results = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            results.add(pool.submit(() -> {
                ImplicitAls.Workspace ws = new ImplicitAls.Workspace(params.factors());
                for (int b; (b = next.getAndIncrement()) < bounds.length - 1; ) {
                    for (int r = bounds[b]; r < bounds[b + 1]; r++) {
                        if (!ImplicitAls.solveRow(gram, params, rows.cols(), rows.values(), rows.start()[r],
                                rows.start()[r + 1], other, self.data(), self.offset(r), ws)) {
                            return r;
                        }
                    }
                }
                return -1;
            }));
        }
        int failed = AlsTrainer.firstFailure(results);
        if (failed >= 0) {
            // YᵀY + λI with λ > 0 is positive definite; only NaN/inf input gets here
            throw new ArithmeticException("implicit ALS system not positive definite for " + side + " "
                    + failed + " (lambda=" + params.lambda() + "): check the weights for NaN or infinity");
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
