package io.foldin.eval;

import io.foldin.data.RatingLog;
import io.foldin.data.RatingMatrix;
import io.foldin.model.AlsParams;
import io.foldin.model.AlsTrainer;
import io.foldin.model.FactorModel;
import io.foldin.model.FoldIn;
import io.foldin.model.SweepSolver;
import java.util.HashMap;
import java.util.Map;

/**
 * The online-learning benchmark: ratings in time order; ALS on the first {@code warmup} fraction;
 * then each later event is predicted first and folded in after. Three learners see the same stream:
 * the static warm-up model (never updated), fold-in alone, and fold-in with a few full sweeps every
 * {@code sweepEvery} events. All predictions are clipped to the warm-up rating range.
 */
public final class Prequential {
    private Prequential() {
    }

    public record Options(AlsParams params, double warmup, int iterations, int sweepEvery, int sweepIterations,
                          int threads, long seed, SweepSolver solver) {
        public Options {
            if (!(warmup > 0 && warmup < 1)) {
                throw new IllegalArgumentException("warmup must be in (0, 1), got " + warmup);
            }
            if (iterations < 1 || sweepIterations < 1 || sweepEvery < 0) {
                throw new IllegalArgumentException("iterations and sweep iterations >= 1, sweep-every >= 0");
            }
        }
    }

    public record Result(int warmupRatings, int streamedRatings, int rerates, double rmseFoldIn, double rmseStatic,
                         double rmseWithSweeps, int sweeps, double warmupSeconds, double foldInSeconds,
                         double sweepSeconds) {
        public double foldInEventsPerSecond() {
            return streamedRatings / foldInSeconds;
        }
    }

    /** Called every {@code every} streamed events with the running fold-in RMSE. */
    public interface Listener {
        void onProgress(int done, int of, double rmseFoldIn, double rmseStatic);
    }

    public static Result run(RatingLog log, Options o, Listener listener) {
        int n = log.size();
        int[] order = log.timeOrder();
        int warm = (int) Math.floor(n * o.warmup());
        if (warm == 0 || warm == n) {
            throw new IllegalArgumentException("warm-up of " + warm + " of " + n + " ratings leaves nothing to learn or stream");
        }
        int numUsers = log.users().size();
        int numItems = log.items().size();
        RatingLog seen = log.select(order, 0, warm);
        float[] range = seen.ratingRange();

        long t0 = System.nanoTime();
        FactorModel online = FactorModel.initial(o.params(), seen.mean(), range[0], range[1], numUsers, numItems, null, o.seed());
        RatingMatrix warmMatrix = RatingMatrix.of(seen, numUsers, numItems);
        try (AlsTrainer trainer = new AlsTrainer(o.params(), o.threads(), o.solver())) {
            for (int it = 0; it < o.iterations(); it++) {
                trainer.sweep(online, warmMatrix);
            }
            double warmupSeconds = (System.nanoTime() - t0) / 1e9;
            FactorModel fixed = online.copy();
            FactorModel swept = online.copy();
            FoldIn foldIn = new FoldIn(online);
            FoldIn foldInSwept = new FoldIn(swept);
            foldIn.rebuild(warmMatrix);
            foldInSwept.rebuild(warmMatrix);

            Map<Long, Float> rated = new HashMap<>(n * 2);
            for (int k = 0; k < warm; k++) {
                rated.put(key(seen.user(k), seen.item(k)), seen.rating(k));
            }
            double seFold = 0;
            double seStatic = 0;
            double seSwept = 0;
            int rerates = 0;
            int sweeps = 0;
            long foldNanos = 0;
            long sweepNanos = 0;
            int streamed = n - warm;
            int every = Math.max(1, streamed / 20);
            for (int j = warm; j < n; j++) {
                int row = order[j];
                int u = log.user(row);
                int i = log.item(row);
                float r = log.rating(row);
                seFold += sq(r - online.predict(u, i));
                seStatic += sq(r - fixed.predict(u, i));
                seSwept += sq(r - swept.predict(u, i));
                Float prev = rated.put(key(u, i), r);
                float previous = prev == null ? Float.NaN : prev;
                if (prev != null) {
                    rerates++;
                }
                long f0 = System.nanoTime();
                foldIn.apply(u, i, r, previous);
                foldNanos += System.nanoTime() - f0;
                foldInSwept.apply(u, i, r, previous);
                if (o.sweepEvery() > 0) {
                    seen.addIndexed(u, i, r, log.time(row));
                }
                int done = j - warm + 1;
                if (o.sweepEvery() > 0 && done % o.sweepEvery() == 0 && j + 1 < n) {
                    long s0 = System.nanoTime();
                    RatingMatrix all = RatingMatrix.of(seen, numUsers, numItems);
                    for (int it = 0; it < o.sweepIterations(); it++) {
                        trainer.sweep(swept, all);
                    }
                    foldInSwept.rebuild(all);
                    sweepNanos += System.nanoTime() - s0;
                    sweeps++;
                }
                if (listener != null && (done % every == 0 || j + 1 == n)) {
                    listener.onProgress(done, streamed, Math.sqrt(seFold / done), Math.sqrt(seStatic / done));
                }
            }
            return new Result(warm, streamed, rerates, Math.sqrt(seFold / streamed), Math.sqrt(seStatic / streamed),
                    Math.sqrt(seSwept / streamed), sweeps, warmupSeconds, foldNanos / 1e9, sweepNanos / 1e9);
        }
    }

    private static long key(int u, int i) {
        return ((long) u << 32) | (i & 0xFFFF_FFFFL);
    }

    private static double sq(double x) {
        return x * x;
    }
}
