package io.foldin.model;

import io.foldin.data.RatingLog;
import java.util.SplittableRandom;

/** Small low-rank rating sets with fixed seeds for the math tests. */
final class Synthetic {
    private Synthetic() {
    }

    /** Users rate {@code perUser} distinct random items; ratings = 3.5 + noisy rank-3 score, clipped to [0.5, 5]. */
    static RatingLog ratings(int users, int items, int perUser, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] u = gaussian(users, 3, rnd);
        double[][] v = gaussian(items, 3, rnd);
        RatingLog log = new RatingLog(users * perUser);
        long t = 1_000_000_000L;
        for (int a = 0; a < users; a++) {
            boolean[] seen = new boolean[items];
            for (int c = 0; c < perUser; c++) {
                int i;
                do {
                    i = rnd.nextInt(items);
                } while (seen[i]);
                seen[i] = true;
                double s = 3.5 + u[a][0] * v[i][0] + u[a][1] * v[i][1] + u[a][2] * v[i][2] + 0.3 * rnd.nextGaussian();
                float r = (float) Math.max(0.5, Math.min(5.0, Math.round(s * 2) / 2.0));
                log.add(a + 1, i + 1, r, t++);
            }
        }
        return log;
    }

    private static double[][] gaussian(int n, int d, SplittableRandom rnd) {
        double[][] x = new double[n][d];
        for (double[] row : x) {
            for (int a = 0; a < d; a++) {
                row[a] = rnd.nextGaussian() * 0.6;
            }
        }
        return x;
    }
}
