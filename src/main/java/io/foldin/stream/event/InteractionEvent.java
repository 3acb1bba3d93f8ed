package io.foldin.stream.event;

/**
 * One valid implicit-feedback event (schema: {@code schemas/interaction-event.schema.json}): user {@code userId}
 * interacted with item {@code itemId} with strength {@code weight} (a click 1, a purchase more: the producer
 * decides). Implicit ALS takes confidence {@code c = 1 + α w} from the accumulated weight of the pair.
 *
 * @param kind a free lower-case label (click, view, purchase, ...) kept for the producer's own accounting; the
 *             model reads the weight only. Null when absent.
 */
public record InteractionEvent(int userId, int itemId, float weight, String kind, long timestamp)
        implements ParseResult {
    /** The schema's range: a weight must count (no float underflow) and cannot swamp every other pair. */
    public static final double MIN_WEIGHT = 0.001;
    public static final float MAX_WEIGHT = 1000f;
    public static final int MAX_KIND_LENGTH = 32;

    public InteractionEvent {
        if (userId < 0 || itemId < 0) {
            throw new IllegalArgumentException("ids must be >= 0, got user " + userId + ", item " + itemId);
        }
        if (!(weight >= (float) MIN_WEIGHT && weight <= MAX_WEIGHT)) {
            throw new IllegalArgumentException("weight must be in [" + MIN_WEIGHT + ", " + MAX_WEIGHT + "], got " + weight);
        }
        if (kind != null && !validKind(kind)) {
            throw new IllegalArgumentException("kind must match [a-z][a-z0-9_]{0,31}, got " + Excerpt.of(kind));
        }
        if (timestamp < 0 || timestamp > RatingEvent.MAX_TIMESTAMP) {
            throw new IllegalArgumentException("timestamp out of range: " + timestamp);
        }
    }

    /** {@code [a-z][a-z0-9_]*}, at most {@link #MAX_KIND_LENGTH} characters (the schema's pattern). */
    static boolean validKind(String kind) {
        if (kind.isEmpty() || kind.length() > MAX_KIND_LENGTH || kind.charAt(0) < 'a' || kind.charAt(0) > 'z') {
            return false;
        }
        for (int k = 1; k < kind.length(); k++) {
            char c = kind.charAt(k);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_')) {
                return false;
            }
        }
        return true;
    }
}
