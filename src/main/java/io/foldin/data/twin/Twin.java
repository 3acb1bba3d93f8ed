package io.foldin.data.twin;

import io.foldin.data.IdIndex;
import io.foldin.data.RatingLog;
import io.foldin.data.RatingsBinary;

/**
 * A generated twin in memory: the ratings in time order as primitive columns over dense indices,
 * the external ids, the item metadata and the hidden model they came from.
 *
 * <p>Dense user index u has external id {@link #userIdOf}(u), dense item i is movieId
 * {@link #itemIdOf}(i) (dense item order is popularity rank of the hidden weights).
 */
public final class Twin {
    private final TwinConfig config;
    private final int[] user;
    private final int[] item;
    private final byte[] halfStars;
    private final int[] time;
    private final int[] userIds;
    private final int[] itemIds;
    private final int[] genres;
    private final int[] year;
    private final int[] perUser;
    private final HiddenModel model;

    Twin(TwinConfig config, int[] user, int[] item, byte[] halfStars, int[] time, int[] userIds, int[] itemIds,
         int[] genres, int[] year, int[] perUser, HiddenModel model) {
        this.config = config;
        this.user = user;
        this.item = item;
        this.halfStars = halfStars;
        this.time = time;
        this.userIds = userIds;
        this.itemIds = itemIds;
        this.genres = genres;
        this.year = year;
        this.perUser = perUser;
        this.model = model;
    }

    /**
     * Figures the CLI reports; {@code histogram[k]} counts rating (k + 1) / 2. The slopes are
     * {@link #rankSlope} of the ratings per item and per user.
     */
    public record Stats(double ratingMean, int maxUserRatings, int topItemRatings, int itemsWithAtMost3Ratings,
                        double itemPopularitySlope, double userActivitySlope, long[] histogram) {
    }

    public TwinConfig config() {
        return config;
    }

    public int size() {
        return user.length;
    }

    public int users() {
        return userIds.length;
    }

    public int items() {
        return itemIds.length;
    }

    /** Dense user index of row k. */
    public int user(int k) {
        return user[k];
    }

    /** Dense item index of row k. */
    public int item(int k) {
        return item[k];
    }

    public int userId(int k) {
        return userIds[user[k]];
    }

    public int itemId(int k) {
        return itemIds[item[k]];
    }

    /** Rating of row k in half-stars, 1..10. */
    public int halfStars(int k) {
        return halfStars[k];
    }

    public float rating(int k) {
        return halfStars[k] * 0.5f;
    }

    /** Unix seconds of row k; non-decreasing in k. */
    public long time(int k) {
        return Timeline.T_MIN + time[k];
    }

    public int userIdOf(int u) {
        return userIds[u];
    }

    public int itemIdOf(int i) {
        return itemIds[i];
    }

    /** Genre bit mask of dense item i (bit g = {@link Genres#NAMES} g). */
    public int genres(int i) {
        return genres[i];
    }

    public int year(int i) {
        return year[i];
    }

    public String title(int i) {
        return Titles.title(config.seed(), i, year[i]);
    }

    public HiddenModel model() {
        return model;
    }

    /** The rows with external ids, for {@link RatingsBinary#write(java.nio.file.Path, RatingsBinary.Columns)}. */
    public RatingsBinary.Columns columns() {
        return new RatingsBinary.Columns() {
            @Override
            public int size() {
                return user.length;
            }

            @Override
            public int userId(int k) {
                return Twin.this.userId(k);
            }

            @Override
            public int itemId(int k) {
                return Twin.this.itemId(k);
            }

            @Override
            public float rating(int k) {
                return Twin.this.rating(k);
            }

            @Override
            public long time(int k) {
                return Twin.this.time(k);
            }

            @Override
            public int distinctUsers() {
                return userIds.length;
            }

            @Override
            public int distinctItems() {
                return itemIds.length;
            }
        };
    }

    /** The ratings as a log, as if read from the written files. */
    public RatingLog toLog() {
        RatingLog log = new RatingLog(new IdIndex(users()), new IdIndex(items()), size());
        for (int k = 0; k < user.length; k++) {
            log.add(userId(k), itemId(k), rating(k), time(k));
        }
        return log;
    }

    public Stats stats() {
        long[] hist = new long[HalfStars.LEVELS];
        int[] perItem = new int[itemIds.length];
        long sum = 0;
        for (int k = 0; k < user.length; k++) {
            hist[halfStars[k] - 1]++;
            sum += halfStars[k];
            perItem[item[k]]++;
        }
        int maxUser = 0;
        for (int c : perUser) {
            maxUser = Math.max(maxUser, c);
        }
        int top = 0;
        int rare = 0;
        for (int c : perItem) {
            top = Math.max(top, c);
            rare += c <= 3 ? 1 : 0;
        }
        double mean = user.length == 0 ? 0 : sum * 0.5 / user.length;
        return new Stats(mean, maxUser, top, rare, rankSlope(perItem), rankSlope(perUser), hist);
    }

    /** The log-log slope of count against rank, {@link io.foldin.analysis.PowerLaw#fit}: NaN for fewer than two ranks. */
    public static double rankSlope(int[] counts) {
        return io.foldin.analysis.PowerLaw.fit(counts).slope();
    }
}
