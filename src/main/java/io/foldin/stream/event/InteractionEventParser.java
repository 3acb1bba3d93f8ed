package io.foldin.stream.event;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * Turns one record of an interaction event into an {@link InteractionEvent} or a {@link Rejection}: the contract is
 * {@code schemas/interaction-event.schema.json} plus the same limits as ratings (size, UTF-8, depth, duplicate
 * names, trailing data), with the same {@link Reason}s where the problem is the same. Ids and timestamps are read
 * by {@link RatingEventParser}'s own readers, so the two event kinds cannot disagree on them. Never throws.
 */
public final class InteractionEventParser {
    private static final int USER_ID = 1;
    private static final int ITEM_ID = 2;
    private static final int WEIGHT = 4;
    private static final int TIMESTAMP = 8;
    private static final int KIND = 16;
    /** A missing weight is one interaction. */
    public static final float DEFAULT_WEIGHT = 1f;

    private final RatingEventParser limits;

    public InteractionEventParser() {
        this(new RatingEventParser());
    }

    /** With the size and depth limits of {@code limits}. */
    public InteractionEventParser(RatingEventParser limits) {
        this.limits = limits;
    }

    /**
     * @param value             the JSON event
     * @param recordTimestampMs the record's timestamp in ms, used when the event has none; negative if none
     */
    public ParseResult parse(byte[] value, long recordTimestampMs) {
        if (value == null || value.length == 0) {
            return new Rejection(Reason.VALUE_MISSING, value == null ? "value is null (tombstone)" : "value is empty");
        }
        if (value.length > limits.maxValueBytes()) {
            return new Rejection(Reason.VALUE_TOO_LARGE, "value has " + value.length + " bytes, limit "
                    + limits.maxValueBytes());
        }
        int bad = Utf8.firstInvalid(value);
        if (bad >= 0) {
            return new Rejection(Reason.INVALID_UTF8, "ill-formed UTF-8 at byte " + bad);
        }
        RatingEventParser.Fields f = new RatingEventParser.Fields();
        f.weight = DEFAULT_WEIGHT;
        String[] kind = new String[1];
        try (JsonParser p = limits.createParser(value)) {
            Rejection r = readObject(p, f, kind);
            if (r != null) {
                return r;
            }
        } catch (JacksonException e) {
            return new Rejection(Reason.UNPARSABLE_JSON, Excerpt.of(e.getOriginalMessage()));
        } catch (IOException | RuntimeException e) {
            return new Rejection(Reason.UNPARSABLE_JSON, "parser failure: " + Excerpt.of(String.valueOf(e)));
        }
        if ((f.seen & USER_ID) == 0) {
            return new Rejection(Reason.MISSING_USER_ID, "userId is required");
        }
        if ((f.seen & ITEM_ID) == 0) {
            return new Rejection(Reason.MISSING_ITEM_ID, "itemId is required");
        }
        if ((f.seen & TIMESTAMP) == 0) {
            if (recordTimestampMs < 0) {
                return new Rejection(Reason.TIMESTAMP_MISSING, "no timestamp in the event and none on the record");
            }
            f.timestamp = recordTimestampMs / 1000;
            if (f.timestamp > RatingEvent.MAX_TIMESTAMP) {
                return new Rejection(Reason.TIMESTAMP_OUT_OF_RANGE, "record timestamp " + recordTimestampMs
                        + " ms is after year 9999");
            }
        }
        return new InteractionEvent(f.userId, f.itemId, f.weight, kind[0], f.timestamp);
    }

    private Rejection readObject(JsonParser p, RatingEventParser.Fields f, String[] kind) throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            return new Rejection(Reason.UNPARSABLE_JSON, "value holds no JSON, only whitespace");
        }
        if (t != JsonToken.START_OBJECT) {
            return new Rejection(Reason.NOT_AN_OBJECT, "expected a JSON object, got " + t.asString());
        }
        Set<String> unknownNames = null;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            int bit = switch (name) {
                case "userId" -> USER_ID;
                case "itemId" -> ITEM_ID;
                case "weight" -> WEIGHT;
                case "timestamp" -> TIMESTAMP;
                case "kind" -> KIND;
                default -> 0;
            };
            boolean duplicate;
            if (bit != 0) {
                duplicate = (f.seen & bit) != 0;
                f.seen |= bit;
            } else {
                unknownNames = unknownNames == null ? new HashSet<>() : unknownNames;
                duplicate = !unknownNames.add(name);
            }
            if (duplicate) {
                return new Rejection(Reason.DUPLICATE_FIELD, "field \"" + Excerpt.of(name) + "\" occurs twice");
            }
            t = p.nextToken();
            Rejection r = switch (bit) {
                case USER_ID -> (f.userId = RatingEventParser.readId(p, t, "userId", f)) < 0 ? f.rejection : null;
                case ITEM_ID -> (f.itemId = RatingEventParser.readId(p, t, "itemId", f)) < 0 ? f.rejection : null;
                case WEIGHT -> readWeight(p, t, f);
                case TIMESTAMP -> RatingEventParser.readTimestamp(p, t, f);
                case KIND -> readKind(p, t, kind);
                default -> limits.skip(p, t);
            };
            if (r != null) {
                return r;
            }
        }
        if (t != JsonToken.END_OBJECT) {
            return new Rejection(Reason.UNPARSABLE_JSON, "object not closed");
        }
        try {
            if (p.nextToken() != null) {
                return new Rejection(Reason.TRAILING_DATA, "another JSON value follows the object");
            }
        } catch (JacksonException e) {
            return new Rejection(Reason.TRAILING_DATA, "data after the object: " + Excerpt.of(e.getOriginalMessage()));
        }
        return null;
    }

    private static Rejection readWeight(JsonParser p, JsonToken t, RatingEventParser.Fields f) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            return new Rejection(Reason.WEIGHT_WRONG_TYPE, "weight must be a number, got "
                    + RatingEventParser.describe(t));
        }
        double w = p.getDoubleValue();
        if (!(w >= InteractionEvent.MIN_WEIGHT && w <= InteractionEvent.MAX_WEIGHT)) {
            return new Rejection(Reason.WEIGHT_OUT_OF_RANGE, "weight " + Excerpt.of(p.getText()) + " is outside ["
                    + InteractionEvent.MIN_WEIGHT + ", " + (int) InteractionEvent.MAX_WEIGHT + "]");
        }
        f.weight = (float) w;
        return null;
    }

    private static Rejection readKind(JsonParser p, JsonToken t, String[] kind) throws IOException {
        if (t != JsonToken.VALUE_STRING || !InteractionEvent.validKind(p.getText())) {
            return new Rejection(Reason.KIND_INVALID, "kind must be a string matching [a-z][a-z0-9_]{0,31}, got "
                    + (t == JsonToken.VALUE_STRING ? "\"" + Excerpt.of(p.getText()) + "\"" : RatingEventParser.describe(t)));
        }
        kind[0] = p.getText();
        return null;
    }
}
