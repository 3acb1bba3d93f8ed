package io.foldin.data;

import java.util.Arrays;

/**
 * Ratings in arrival order as parallel primitive columns (no object per rating), with external ids
 * mapped to dense indices on the way in. 32M ratings take 32M x 20 B = 640 MB.
 */
public final class RatingLog {
    private final IdIndex users;
    private final IdIndex items;
    private int[] user;
    private int[] item;
    private float[] rating;
    private long[] time;
    private int size;

    public RatingLog() {
        this(1024);
    }

    public RatingLog(int expected) {
        this(new IdIndex(), new IdIndex(), expected);
    }

    /** A log sharing the given id indexes (so a test file maps onto the training indices). */
    public RatingLog(IdIndex users, IdIndex items, int expected) {
        this.users = users;
        this.items = items;
        int cap = Math.max(16, expected);
        user = new int[cap];
        item = new int[cap];
        rating = new float[cap];
        time = new long[cap];
    }

    /** Appends one rating given by external ids. */
    public void add(int userId, int itemId, float value, long timestamp) {
        addIndexed(users.add(userId), items.add(itemId), value, timestamp);
    }

    /** Appends one rating given by dense indices of this log's id indexes. */
    public void addIndexed(int u, int i, float value, long timestamp) {
        if (size == user.length) {
            grow();
        }
        user[size] = u;
        item[size] = i;
        rating[size] = value;
        time[size] = timestamp;
        size++;
    }

    public int size() {
        return size;
    }

    public int user(int k) {
        return user[k];
    }

    public int item(int k) {
        return item[k];
    }

    public float rating(int k) {
        return rating[k];
    }

    public long time(int k) {
        return time[k];
    }

    public IdIndex users() {
        return users;
    }

    public IdIndex items() {
        return items;
    }

    /** Mean of all ratings, 0 for an empty log. */
    public double mean() {
        double s = 0;
        for (int k = 0; k < size; k++) {
            s += rating[k];
        }
        return size == 0 ? 0 : s / size;
    }

    /** {@code {min, max}} of the ratings; {@code {+inf, -inf}} for an empty log. */
    public float[] ratingRange() {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int k = 0; k < size; k++) {
            min = Math.min(min, rating[k]);
            max = Math.max(max, rating[k]);
        }
        return new float[] {min, max};
    }

    /** The rows at {@code rows} (in that order), sharing this log's id indexes. */
    public RatingLog select(int[] rows, int from, int to) {
        RatingLog out = new RatingLog(users, items, to - from);
        for (int j = from; j < to; j++) {
            int k = rows[j];
            out.addIndexed(user[k], item[k], rating[k], time[k]);
        }
        return out;
    }

    /**
     * Row numbers sorted by timestamp, ties kept in arrival order. Sorts packed primitive keys
     * {@code (t - tmin) << 31 | row} when the time span fits in 32 bits (always, for Unix seconds).
     */
    public int[] timeOrder() {
        int[] order = new int[size];
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        boolean sorted = true;
        for (int k = 0; k < size; k++) {
            sorted &= k == 0 || time[k - 1] <= time[k];
            min = Math.min(min, time[k]);
            max = Math.max(max, time[k]);
        }
        if (sorted) {
            Arrays.setAll(order, k -> k);
            return order;
        }
        if (max - min >= (1L << 32) || max - min < 0) {
            Integer[] boxed = new Integer[size];
            Arrays.setAll(boxed, k -> k);
            Arrays.sort(boxed, (a, b) -> Long.compare(time[a], time[b]));
            Arrays.setAll(order, k -> boxed[k]);
            return order;
        }
        long[] keys = new long[size];
        for (int k = 0; k < size; k++) {
            keys[k] = ((time[k] - min) << 31) | k;
        }
        Arrays.parallelSort(keys);
        for (int k = 0; k < size; k++) {
            order[k] = (int) (keys[k] & 0x7FFF_FFFFL);
        }
        return order;
    }

    private void grow() {
        int cap = user.length + (user.length >> 1) + 16;
        user = Arrays.copyOf(user, cap);
        item = Arrays.copyOf(item, cap);
        rating = Arrays.copyOf(rating, cap);
        time = Arrays.copyOf(time, cap);
    }
}
