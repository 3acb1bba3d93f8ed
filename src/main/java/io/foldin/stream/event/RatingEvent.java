package io.foldin.stream.event;

/**
 * One valid rating event from topic {@code ratings} (schema: {@code schemas/rating-event.schema.json}).
 *
 * <p>The constructor enforces the schema's ranges, so an instance is always valid: ids in [0, 2^31-1], rating
 * in [0.5, 5.0] or NaN for a delete, timestamp in [0, {@link #MAX_TIMESTAMP}] seconds. A parser never builds an
 * invalid one; code that builds events itself (replay, HTTP) gets an {@link IllegalArgumentException} instead
 * of a record the stream would reject later.
 *
 * @param userId    user id
 * @param itemId    item id
 * @param rating    stars, or {@link Float#NaN} when the event deletes the user's rating of the item
 * @param timestamp event time, seconds since the Unix epoch
 */
public record RatingEvent(int userId, int itemId, float rating, long timestamp) implements ParseResult {

    public static final float MIN_RATING = 0.5f;
    public static final float MAX_RATING = 5.0f;
    /** 9999-12-31T23:59:59Z; anything later is almost certainly milliseconds sent as seconds. */
    public static final long MAX_TIMESTAMP = 253_402_300_799L;

    public RatingEvent {
        if (userId < 0) {
            throw new IllegalArgumentException("userId must be >= 0, got " + userId);
        }
        if (itemId < 0) {
            throw new IllegalArgumentException("itemId must be >= 0, got " + itemId);
        }
        // NaN is the delete marker; every other value must be a real rating (this also rules out infinities).
        if (!Float.isNaN(rating) && !(rating >= MIN_RATING && rating <= MAX_RATING)) {
            throw new IllegalArgumentException("rating must be in [0.5, 5.0] or NaN (delete), got " + rating);
        }
        if (timestamp < 0 || timestamp > MAX_TIMESTAMP) {
            throw new IllegalArgumentException("timestamp must be in [0, " + MAX_TIMESTAMP + "] seconds, got " + timestamp);
        }
    }

    /** An event that deletes the user's rating of the item (JSON {@code "rating": null}). */
    public static RatingEvent delete(int userId, int itemId, long timestamp) {
        return new RatingEvent(userId, itemId, Float.NaN, timestamp);
    }

    /** True when this event deletes the rating instead of setting it. */
    public boolean isDelete() {
        return Float.isNaN(rating);
    }
}
