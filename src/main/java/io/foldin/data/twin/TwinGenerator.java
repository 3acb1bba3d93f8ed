package io.foldin.data.twin;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Generates the synthetic twin of MovieLens 32M described by a {@link TwinConfig}.
 *
 * <p>Steps: user activity ({@link Activity}) and item popularity ({@link Popularity}); genres ({@link Genres}) and the
 * hidden model ({@link HiddenModel}); one forced rating per item so every item is rated; then per
 * user, in parallel, its items without replacement ({@link ItemSampler}), their times
 * ({@link Timeline}) and noisy hidden scores; the scores become half-stars by the quantiles of the
 * target histogram ({@link HalfStars}); finally all rows are sorted by time, and items get release
 * years (before their first rating) and ids in release order, users random ids.
 *
 * <p>Deterministic: every user draws from its own stream and writes its own slice of the columns,
 * and the sort key (time, row) is unique, so the result is the same for any thread count.
 * Memory at scale 1: four 32M-row columns plus a 32M-long sort key, ≈ 0.9 GB of arrays at the
 * peak (≈ 1.2–1.5 GB RSS measured for the whole run).
 */
public final class TwinGenerator {
    private static final int BLOCK = 512;
    private static final int QUANTILE_SAMPLE = 2_000_000;
    private static final long ROW_MASK = (1L << 33) - 1;

    /** Told when each phase is done (the CLI prints it). */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = what -> { };

        void phase(String done);
    }

    private TwinGenerator() {
    }

    public static Twin generate(TwinConfig cfg) {
        return generate(cfg, Progress.NONE);
    }

    public static Twin generate(TwinConfig cfg, Progress progress) {
        long seed = cfg.seed();
        int users = cfg.users();
        int items = cfg.items();
        int n = cfg.ratings();

        int[] perUser = Activity.userCounts(cfg, SplitMix.stream(seed, Streams.USER_ACTIVITY, 0));
        double[] target = Popularity.targetCounts(cfg);
        double[] weight = Popularity.samplerWeights(perUser, target);
        int[] genres = new int[items];
        SplitMix g = SplitMix.stream(seed, Streams.GENRES, 0);
        for (int i = 0; i < items; i++) {
            genres[i] = Genres.draw(g);
        }
        HiddenModel model = HiddenModel.create(seed, users, cfg.factors(), genres, target);
        int[] forced = Activity.forcedUsers(perUser, items, SplitMix.stream(seed, Streams.COVERAGE, 0));
        int[] forcedStart = new int[users + 1];
        for (int u : forced) {
            forcedStart[u + 1]++;
        }
        for (int u = 0; u < users; u++) {
            forcedStart[u + 1] += forcedStart[u];
        }
        int[] forcedItems = new int[items];
        int[] fill = Arrays.copyOf(forcedStart, users);
        for (int i = 0; i < items; i++) {
            forcedItems[fill[forced[i]]++] = i;
        }
        int[] start = new int[users + 1];
        for (int u = 0; u < users; u++) {
            start[u + 1] = start[u] + perUser[u];
        }
        progress.phase("model: " + users + " users, " + items + " items");

        int[] user = new int[n];
        int[] item = new int[n];
        int[] time = new int[n];
        float[] score = new float[n];
        sampleUsers(seed, model, perUser, start, forcedStart, forcedItems, weight, user, item, time, score);
        progress.phase("sampled " + n + " ratings");

        float[] thresholds = HalfStars.thresholds(score, n, QUANTILE_SAMPLE);
        byte[] code = new byte[n];
        for (int k = 0; k < n; k++) {
            code[k] = HalfStars.code(score[k], thresholds);
        }

        // time in the high bits (< 2^30 s), row in the low 33: unique keys, so a stable, thread-count-free order
        long[] keys = new long[n];
        for (int k = 0; k < n; k++) {
            keys[k] = ((long) time[k] << 33) | k;
        }
        Arrays.parallelSort(keys);
        user = permute(user, keys);
        item = permute(item, keys);
        byte[] sortedCode = new byte[n];
        int[] sortedTime = new int[n];
        for (int j = 0; j < n; j++) {
            sortedCode[j] = code[(int) (keys[j] & ROW_MASK)];
            sortedTime[j] = (int) (keys[j] >>> 33);
        }
        code = null;
        keys = null;
        progress.phase("sorted by time");

        int[] year = releaseYears(seed, items, item, sortedTime);
        int[] itemIds = itemIds(seed, year);
        int[] userIds = userIds(seed, users);
        return new Twin(cfg, user, item, sortedCode, sortedTime, userIds, itemIds, genres, year, perUser, model);
    }

    /** Each user's items, times and noisy scores into its slice {@code [start[u], start[u+1])}. */
    private static void sampleUsers(long seed, HiddenModel model, int[] perUser, int[] start, int[] forcedStart,
                                    int[] forcedItems, double[] weight, int[] user, int[] item, int[] time,
                                    float[] score) {
        int users = perUser.length;
        Timeline timeline = new Timeline();
        AliasTable alias = new AliasTable(weight);
        double total = Arrays.stream(weight).sum();
        IntStream.range(0, (users + BLOCK - 1) / BLOCK).parallel().forEach(b -> {
            ItemSampler sampler = new ItemSampler(alias, weight, total);
            for (int u = b * BLOCK, end = Math.min(users, u + BLOCK); u < end; u++) {
                SplitMix rng = SplitMix.stream(seed, Streams.USER_RATINGS, u);
                int from = start[u];
                int k = perUser[u];
                int f = forcedStart[u + 1] - forcedStart[u];
                System.arraycopy(forcedItems, forcedStart[u], item, from, f);
                sampler.sample(rng, item, from, f, k);
                long t0 = timeline.arrival(rng);
                long span = timeline.span(rng, t0, k);
                for (int j = from; j < from + k; j++) {
                    user[j] = u;
                    time[j] = (int) (Timeline.at(rng, t0, span) - Timeline.T_MIN);
                    score[j] = (float) (model.score(u, item[j]) + HiddenModel.SIGMA_NOISE * rng.nextGaussian());
                }
            }
        });
    }

    private static int[] permute(int[] column, long[] keys) {
        int[] out = new int[column.length];
        for (int j = 0; j < out.length; j++) {
            out[j] = column[(int) (keys[j] & ROW_MASK)];
        }
        return out;
    }

    /**
     * Release year: the year of the first rating, minus a lag that is 0 for 35% of items and
     * otherwise exponential with a 12-year mean (MovieLens users rate old films too), not before 1902.
     */
    private static int[] releaseYears(long seed, int items, int[] item, int[] time) {
        int[] first = new int[items];
        Arrays.fill(first, -1);
        for (int k = 0; k < item.length; k++) {
            if (first[item[k]] < 0) {
                first[item[k]] = time[k];
            }
        }
        SplitMix rng = SplitMix.stream(seed, Streams.RELEASE, 0);
        int[] year = new int[items];
        for (int i = 0; i < items; i++) {
            int y = Timeline.yearOf(Timeline.T_MIN + Math.max(0, first[i]));
            int lag = rng.nextDouble() < 0.35 ? 0 : (int) (12 * rng.nextExponential());
            year[i] = Math.max(1902, y - lag);
        }
        return year;
    }

    /** movieId 1..I in order of release year (ties at random), like MovieLens' roughly chronological ids. */
    private static int[] itemIds(long seed, int[] year) {
        SplitMix rng = SplitMix.stream(seed, Streams.ITEM_IDS, 0);
        long[] keys = new long[year.length];
        for (int i = 0; i < year.length; i++) {
            keys[i] = ((long) year[i] << 48) | ((rng.nextLong() & 0xFFFFL) << 32) | i;
        }
        Arrays.sort(keys);
        int[] ids = new int[year.length];
        for (int p = 0; p < keys.length; p++) {
            ids[(int) keys[p]] = p + 1;
        }
        return ids;
    }

    /** userId 1..U as a random permutation, so ids say nothing about activity. */
    private static int[] userIds(long seed, int users) {
        SplitMix rng = SplitMix.stream(seed, Streams.USER_IDS, 0);
        int[] ids = new int[users];
        for (int u = 0; u < users; u++) {
            ids[u] = u + 1;
        }
        for (int u = users - 1; u > 0; u--) {
            int j = rng.nextInt(u + 1);
            int t = ids[u];
            ids[u] = ids[j];
            ids[j] = t;
        }
        return ids;
    }
}
