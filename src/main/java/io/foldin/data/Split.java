package io.foldin.data;

import java.util.SplittableRandom;

/**
 * Train/test splits of a {@link RatingLog}; both halves share the log's id indexes, so a test rating
 * of an item never seen in training still has an index (and gets the prior's prediction).
 */
public final class Split {
    private Split() {
    }

    public record TrainTest(RatingLog train, RatingLog test) {
    }

    /**
     * Parses {@code random:FRACTION} (uniformly chosen test rows, seeded) or {@code time:FRACTION}
     * (the latest FRACTION of rows by timestamp are the test set).
     */
    public static TrainTest parse(String spec, RatingLog log, long seed) {
        double fraction = check(spec);
        return spec.startsWith("random:") ? random(log, fraction, seed) : byTime(log, fraction);
    }

    /**
     * Checks {@code spec} without data ({@code random:FRACTION} or {@code time:FRACTION}, the fraction in (0, 1))
     * and returns the fraction; a bad one throws {@link IllegalArgumentException} naming the problem.
     */
    public static double check(String spec) {
        int colon = spec.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("split must be random:FRACTION or time:FRACTION, got '" + spec + "'");
        }
        String kind = spec.substring(0, colon);
        double fraction;
        try {
            fraction = Double.parseDouble(spec.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("split fraction '" + spec.substring(colon + 1) + "' is not a number");
        }
        if (!kind.equals("random") && !kind.equals("time")) {
            throw new IllegalArgumentException("unknown split kind '" + kind + "': use random or time");
        }
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("split fraction must be in (0, 1), got " + spec.substring(colon + 1));
        }
        return fraction;
    }

    /** {@code round(n * fraction)} rows chosen by a seeded shuffle form the test set; order kept. */
    public static TrainTest random(RatingLog log, double fraction, long seed) {
        int n = log.size();
        int testCount = testCount(n, fraction);
        int[] perm = new int[n];
        for (int k = 0; k < n; k++) {
            perm[k] = k;
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int k = n - 1; k > 0; k--) {
            int j = rnd.nextInt(k + 1);
            int t = perm[k];
            perm[k] = perm[j];
            perm[j] = t;
        }
        boolean[] isTest = new boolean[n];
        for (int k = 0; k < testCount; k++) {
            isTest[perm[k]] = true;
        }
        int[] train = new int[n - testCount];
        int[] test = new int[testCount];
        int a = 0;
        int b = 0;
        for (int k = 0; k < n; k++) {
            if (isTest[k]) {
                test[b++] = k;
            } else {
                train[a++] = k;
            }
        }
        return new TrainTest(log.select(train, 0, train.length), log.select(test, 0, test.length));
    }

    /** The last {@code round(n * fraction)} rows in timestamp order are the test set. */
    public static TrainTest byTime(RatingLog log, double fraction) {
        int n = log.size();
        int testCount = testCount(n, fraction);
        int[] order = log.timeOrder();
        return new TrainTest(log.select(order, 0, n - testCount), log.select(order, n - testCount, n));
    }

    private static int testCount(int n, double fraction) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("split fraction must be in (0, 1), got " + fraction);
        }
        return (int) Math.round(n * fraction);
    }
}
