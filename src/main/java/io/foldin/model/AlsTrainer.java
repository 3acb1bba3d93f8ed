package io.foldin.model;

import io.foldin.data.RatingMatrix;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Full ALS sweeps: every user solved exactly with the items fixed, then every item with the users
 * fixed, then (with a genre prior) every feature vector. Each half-sweep is spread over
 * {@code threads} workers that take blocks of rows of roughly equal rating count, each with its own
 * workspace. Each step minimises the MAP loss exactly in its block of variables, so the loss never
 * increases.
 */
public final class AlsTrainer implements AutoCloseable {
    /** Blocks per worker: enough for heavy rows (30k-rating users) not to leave a core idle. */
    private static final int BLOCKS_PER_THREAD = 64;

    private final AlsParams params;
    private final SweepSolver sweepSolver;
    private final int threads;
    private final ExecutorService pool;

    public AlsTrainer(AlsParams params, int threads) {
        this(params, threads, SweepSolver.CHOLESKY);
    }

    public AlsTrainer(AlsParams params, int threads, SweepSolver solver) {
        this.pool = sweepPool(threads, "als-sweep");
        this.params = params;
        this.sweepSolver = solver;
        this.threads = threads;
    }

    /** One full sweep: users, items, then genre features. */
    public void sweep(FactorModel model, RatingMatrix ratings) {
        solveUsers(model, ratings.byUser());
        solveItems(model, ratings.byItem());
        if (model.genrePrior() != null) {
            model.genrePrior().update(model.items());
        }
    }

    public void solveUsers(FactorModel model, RatingMatrix.Csr byUser) {
        halfSweep("user", byUser, model.users(), model.items(), model.mu(), null);
    }

    public void solveItems(FactorModel model, RatingMatrix.Csr byItem) {
        halfSweep("item", byItem, model.items(), model.users(), model.mu(), model.genrePrior());
    }

    private void halfSweep(String side, RatingMatrix.Csr rows, Factors self, Factors other, double mu,
                           GenrePrior prior) {
        int numRows = Math.min(rows.rows(), self.count());
        int[] bounds = balancedBlocks(rows.start(), numRows, threads * BLOCKS_PER_THREAD);
        AtomicInteger next = new AtomicInteger();
        List<Future<Integer>> results = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            results.add(pool.submit(() -> {
                RowSolver solver = new RowSolver(params, sweepSolver, prior);
                for (int b; (b = next.getAndIncrement()) < bounds.length - 1; ) {
                    for (int r = bounds[b]; r < bounds[b + 1]; r++) {
                        if (!solver.solveRow(rows, r, self, other, mu)) {
                            return r;
                        }
                    }
                }
                return -1;
            }));
        }
        awaitBlocks(results, side, params);
    }

    /**
     * Waits for the row blocks of one half-sweep; each returns the first row whose solve failed, or -1.
     *
     * @throws NotPositiveDefiniteException for a failed row, as one clear exception at the boundary
     */
    static void awaitBlocks(List<Future<Integer>> results, String side, AlsParams params) {
        int failed = firstFailure(results);
        if (failed >= 0) {
            throw new NotPositiveDefiniteException(side, failed, params);
        }
    }

    /**
     * Waits for every row block of one half-sweep (each returns the first row whose solve failed, or -1) and
     * returns the first failed row, or -1; an interrupt or a block's exception is an IllegalStateException.
     */
    static int firstFailure(List<Future<Integer>> results) {
        int first = -1;
        for (Future<Integer> f : results) {
            int failed;
            try {
                failed = f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("sweep interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("sweep failed: " + e.getCause(), e.getCause());
            }
            if (first < 0 && failed >= 0) {
                first = failed;
            }
        }
        return first;
    }

    /** The fixed pool of daemon threads named {@code name} that a trainer's row blocks run on. */
    static ExecutorService sweepPool(int threads, String name) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Row boundaries of up to {@code blocks} contiguous blocks with about the same number of ratings
     * (plus one per row, so runs of empty rows still split).
     */
    static int[] balancedBlocks(int[] start, int numRows, int blocks) {
        long total = (long) start[numRows] - start[0] + numRows;
        long per = Math.max(1, (total + blocks - 1) / blocks);
        int[] out = new int[blocks + 1];
        int count = 1;
        long acc = 0;
        for (int r = 0; r < numRows; r++) {
            acc += start[r + 1] - start[r] + 1;
            if (acc >= per && count < blocks) {
                out[count++] = r + 1;
                acc = 0;
            }
        }
        if (out[count - 1] != numRows) {
            out[count++] = numRows;
        }
        return java.util.Arrays.copyOf(out, count);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    /** Per-worker workspace: forms G and h of one row and solves it, or runs CG on it. */
    private static final class RowSolver {
        private final AugmentedSolver solver;
        private final ConjugateGradient cg;
        private final GenrePrior prior;
        private final int n;
        private final double[] g;
        private final double[] h;
        private final RowGram gram;
        private final float[] mean;

        RowSolver(AlsParams params, SweepSolver kind, GenrePrior prior) {
            this.solver = new AugmentedSolver(params);
            this.cg = kind.exact() ? null : new ConjugateGradient(params, kind.cgSteps());
            this.prior = prior;
            this.n = params.dim();
            this.g = new double[PackedGram.size(n)];
            this.h = new double[n];
            this.gram = RowGram.create(n);
            this.mean = prior == null ? null : new float[params.factors()];
        }

        boolean solveRow(RatingMatrix.Csr rows, int r, Factors self, Factors other, double mu) {
            float[] m = prior == null ? null : prior.meanIfAny(r, mean);
            if (cg != null) {
                return cg.solve(rows.cols(), rows.values(), rows.start()[r], rows.start()[r + 1], other.data(),
                        other.stride(), mu, m, 0, self.data(), self.offset(r));
            }
            int[] start = rows.start();
            gram.form(rows.cols(), rows.values(), start[r], start[r + 1], other.data(), other.stride(), mu, g, h);
            return solver.solve(g, h, m, 0, self.data(), self.offset(r));
        }
    }
}
