package io.foldin.stream.event;

import java.nio.charset.StandardCharsets;

/**
 * Writes a {@link RatingEvent} as the JSON of {@code schemas/rating-event.schema.json}, field order
 * userId, itemId, rating, timestamp, no whitespace: {@code {"userId":1,"itemId":296,"rating":5.0,"timestamp":1147880044}}.
 * A delete writes {@code "rating":null}. The timestamp is always written, so a replayed event keeps its time
 * whatever the record timestamp is.
 *
 * <p>Round trip: {@code parser.parse(key(e), encode(e), anything)} returns an event equal to {@code e}, because the
 * rating is written with {@link Float#toString}, the shortest decimal that reads back as the same float.
 * Stateless; all methods are static.
 */
public final class RatingEventCodec {

    private RatingEventCodec() {
    }

    /** The event as JSON text. */
    public static String toJson(RatingEvent e) {
        StringBuilder b = new StringBuilder(72);
        b.append("{\"userId\":").append(e.userId())
                .append(",\"itemId\":").append(e.itemId())
                .append(",\"rating\":");
        if (e.isDelete()) {
            b.append("null");
        } else {
            // Ratings are in [0.5, 5], where Float.toString never switches to exponent notation.
            b.append(Float.toString(e.rating()));
        }
        return b.append(",\"timestamp\":").append(e.timestamp()).append('}').toString();
    }

    /** The record value: {@link #toJson} in UTF-8 (all ASCII). */
    public static byte[] encode(RatingEvent e) {
        return toJson(e).getBytes(StandardCharsets.US_ASCII);
    }

    /** The record key: the userId's canonical key ({@link UserKey}). */
    public static byte[] key(RatingEvent e) {
        return UserKey.of(e.userId());
    }
}
