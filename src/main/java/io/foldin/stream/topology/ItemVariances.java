package io.foldin.stream.topology;

import java.util.HashMap;
import java.util.Map;

/**
 * The posterior variances an item task last computed for each of its items, and the rating count they were
 * computed at, so that a publication recomputes them only when they can have moved.
 *
 * <p>With the users fixed, an item's posterior covariance is {@code (λ G_i + P)⁻¹} and G_i grows with every
 * rating, so its variances fall roughly as 1/n: between n and {@code n·(1+r)} ratings they move by about a
 * fraction r/(1+r). Recomputing them (one more triangular inverse, about a solve's flops: load-tests/RESULTS.md)
 * only when the count has grown by the fraction {@link #REFRESH} since, or fallen (deletions), keeps them
 * within ~10% while a popular item's frequent publications cost one solve each. Every record still carries
 * variances (the topic is compacted: its latest record must be complete), the cached ones when fresh enough;
 * a sweep's install always recomputes. In memory only: after a restart the first publication recomputes.
 */
final class ItemVariances {
    /** Growth of the rating count since the last computation that makes the variances stale. */
    static final double REFRESH = 0.1;

    private record Entry(long count, float[] variance) {
    }

    private final Map<Integer, Entry> byItem = new HashMap<>();

    /** The variances to send again for an item now at {@code count} ratings, or null when they must be recomputed. */
    float[] fresh(int item, long count) {
        Entry e = byItem.get(item);
        if (e == null || count < e.count || count > e.count * (1 + REFRESH)) {
            return null;
        }
        return e.variance;
    }

    /** Records variances computed at {@code count} ratings (copied: callers reuse their array). */
    void computed(int item, long count, float[] variance) {
        byItem.put(item, new Entry(count, variance.clone()));
    }

    void forget(int item) {
        byItem.remove(item);
    }
}
