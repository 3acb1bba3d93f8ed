package io.foldin.stream.event;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Set;

/**
 * Turns one Kafka record of topic {@code ratings} into a {@link RatingEvent} or a {@link Rejection}; the contract
 * is {@code schemas/rating-event.schema.json} plus the limits JSON Schema cannot express (size, UTF-8, depth,
 * duplicate names, trailing data, key/userId agreement), each with its own {@link Reason}.
 *
 * <p>{@link #parse} never throws, whatever the bytes: the stream must survive any producer. It reads the value
 * with Jackson's streaming parser, in one pass and without building a tree, because it runs on every event;
 * values in the plain form our producers write take a shorter path with the same results ({@link PlainRatingScan}).
 * Numbers follow the JSON Schema data model (296.0 is the integer 296); strings are never numbers. Known fields
 * are strictly typed; unknown fields of any type are skipped (forward compatibility) but still count towards the
 * size and depth limits, and their names towards duplicate detection in the top-level object (not inside their
 * own nested objects, which are opaque).
 *
 * <p>Instances are immutable and thread-safe; share one per configuration.
 */
public final class RatingEventParser {

    public static final int DEFAULT_MAX_VALUE_BYTES = 4096;
    public static final int DEFAULT_MAX_DEPTH = 16;

    private static final int USER_ID = 1;
    private static final int ITEM_ID = 2;
    private static final int RATING = 4;
    private static final int TIMESTAMP = 8;
    private static final BigDecimal MAX_ID = BigDecimal.valueOf(Integer.MAX_VALUE);
    private static final BigDecimal MAX_TS = BigDecimal.valueOf(RatingEvent.MAX_TIMESTAMP);
    private static final BigDecimal MIN_R = BigDecimal.valueOf(RatingEvent.MIN_RATING);
    private static final BigDecimal MAX_R = BigDecimal.valueOf(RatingEvent.MAX_RATING);

    private final int maxValueBytes;
    private final int maxDepth;
    private final JsonFactory json;

    /** {@link #DEFAULT_MAX_VALUE_BYTES} and {@link #DEFAULT_MAX_DEPTH}. */
    public RatingEventParser() {
        this(DEFAULT_MAX_VALUE_BYTES, DEFAULT_MAX_DEPTH);
    }

    /**
     * @param maxValueBytes longest accepted value in bytes (>= 64)
     * @param maxDepth      deepest accepted nesting of objects and arrays, the event object itself being 1 (>= 1)
     */
    public RatingEventParser(int maxValueBytes, int maxDepth) {
        if (maxValueBytes < 64) {
            throw new IllegalArgumentException("maxValueBytes must be >= 64, got " + maxValueBytes);
        }
        if (maxDepth < 1 || maxDepth > 256) {
            throw new IllegalArgumentException("maxDepth must be in [1, 256], got " + maxDepth);
        }
        this.maxValueBytes = maxValueBytes;
        this.maxDepth = maxDepth;
        this.json = JsonFactory.builder()
                // Untrusted names must not go into the JVM's string pool.
                .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                // Our own limits come first and have their own reasons: a number may be as long as the value
                // (a 2000-digit id is out of range, not unparsable), and our depth check fires before Jackson's.
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNumberLength(maxValueBytes).maxNestingDepth(maxDepth + 2).build())
                .build();
    }

    public int maxValueBytes() {
        return maxValueBytes;
    }

    public int maxDepth() {
        return maxDepth;
    }

    /**
     * Parses one record. Never throws.
     *
     * @param key               record key to check against userId: null to skip the check (the stream passes null:
     *                          it routes by the body's userId, see {@code Misplaced}), else it must be the
     *                          canonical {@link UserKey} of userId
     * @param value             record value: the JSON event
     * @param recordTimestampMs the record's timestamp in milliseconds, used when the event has no timestamp;
     *                          negative when the record has none
     * @return a valid {@link RatingEvent}, or the {@link Rejection} naming the first problem found
     */
    public ParseResult parse(byte[] key, byte[] value, long recordTimestampMs) {
        if (value == null || value.length == 0) {
            return reject(Reason.VALUE_MISSING, value == null ? "value is null (tombstone)" : "value is empty");
        }
        if (value.length > maxValueBytes) {
            return reject(Reason.VALUE_TOO_LARGE, "value has " + value.length + " bytes, limit " + maxValueBytes);
        }
        int keyId = -1;
        if (key != null) {
            keyId = parseKey(key);
            if (keyId < 0) {
                return reject(Reason.KEY_INVALID, "key is not a decimal id in [0, 2147483647]: " + Excerpt.of(key));
            }
        }
        RatingEvent plain = PlainRatingScan.scan(value);
        if (plain != null) {
            return keyId >= 0 && keyId != plain.userId()
                    ? reject(Reason.KEY_MISMATCH, "key " + keyId + " differs from userId " + plain.userId()) : plain;
        }
        return parseFully(keyId, value, recordTimestampMs);
    }

    /** The full reader: every value {@link PlainRatingScan} declines, and the reference it is tested against. */
    ParseResult parseFully(int keyId, byte[] value, long recordTimestampMs) {
        int bad = Utf8.firstInvalid(value);
        if (bad >= 0) {
            return reject(Reason.INVALID_UTF8, "ill-formed UTF-8 at byte " + bad);
        }
        Fields f = new Fields();
        try (JsonParser p = json.createParser(value)) {
            Rejection r = readObject(p, f);
            if (r != null) {
                return r;
            }
        } catch (JacksonException e) {
            return reject(Reason.UNPARSABLE_JSON, Excerpt.of(e.getOriginalMessage()));
        } catch (IOException | RuntimeException e) {
            // Not expected from an in-memory byte array; caught because parse must never throw.
            return reject(Reason.UNPARSABLE_JSON, "parser failure: " + Excerpt.of(String.valueOf(e)));
        }
        if ((f.seen & USER_ID) == 0) {
            return reject(Reason.MISSING_USER_ID, "userId is required");
        }
        if ((f.seen & ITEM_ID) == 0) {
            return reject(Reason.MISSING_ITEM_ID, "itemId is required");
        }
        if ((f.seen & RATING) == 0) {
            return reject(Reason.MISSING_RATING, "rating is required (null deletes)");
        }
        if ((f.seen & TIMESTAMP) == 0) {
            if (recordTimestampMs < 0) {
                return reject(Reason.TIMESTAMP_MISSING, "no timestamp in the event and none on the record");
            }
            f.timestamp = recordTimestampMs / 1000;
            if (f.timestamp > RatingEvent.MAX_TIMESTAMP) {
                return reject(Reason.TIMESTAMP_OUT_OF_RANGE, "record timestamp " + recordTimestampMs + " ms is after year 9999");
            }
        }
        if (keyId >= 0 && keyId != f.userId) {
            return reject(Reason.KEY_MISMATCH, "key " + keyId + " differs from userId " + f.userId);
        }
        return new RatingEvent(f.userId, f.itemId, f.rating, f.timestamp);
    }

    /** Reads the top-level object into {@code f}; null when it is well-formed and its known fields valid. */
    private Rejection readObject(JsonParser p, Fields f) throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            return reject(Reason.UNPARSABLE_JSON, "value holds no JSON, only whitespace");
        }
        if (t != JsonToken.START_OBJECT) {
            return reject(Reason.NOT_AN_OBJECT, "expected a JSON object, got " + t.asString());
        }
        Set<String> unknownNames = null; // rare: allocated only when an event carries unknown fields
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            int bit = switch (name) {
                case "userId" -> USER_ID;
                case "itemId" -> ITEM_ID;
                case "rating" -> RATING;
                case "timestamp" -> TIMESTAMP;
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
                return reject(Reason.DUPLICATE_FIELD, "field \"" + Excerpt.of(name) + "\" occurs twice");
            }
            t = p.nextToken();
            Rejection r = switch (bit) {
                case USER_ID -> (f.userId = readId(p, t, "userId", f)) < 0 ? f.rejection : null;
                case ITEM_ID -> (f.itemId = readId(p, t, "itemId", f)) < 0 ? f.rejection : null;
                case RATING -> readRating(p, t, f);
                case TIMESTAMP -> readTimestamp(p, t, f);
                default -> skip(p, t);
            };
            if (r != null) {
                return r;
            }
        }
        if (t != JsonToken.END_OBJECT) { // Jackson throws on malformed objects; this guards the loop's exit
            return reject(Reason.UNPARSABLE_JSON, "object not closed");
        }
        try {
            if (p.nextToken() != null) {
                return reject(Reason.TRAILING_DATA, "another JSON value follows the object");
            }
        } catch (JacksonException e) {
            return reject(Reason.TRAILING_DATA, "data after the object: " + Excerpt.of(e.getOriginalMessage()));
        }
        return null;
    }

    /** The id, or -1 with {@code f.rejection} set. */
    static int readId(JsonParser p, JsonToken t, String field, Fields f) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            if (p.getNumberType() == JsonParser.NumberType.INT && p.getIntValue() >= 0) {
                return p.getIntValue();
            }
            f.rejection = reject(Reason.ID_OUT_OF_RANGE, field + " " + Excerpt.of(p.getText()) + " is outside [0, 2147483647]");
            return -1;
        }
        if (t == JsonToken.VALUE_NUMBER_FLOAT) { // 296.0 or 2.96e2: an integer in the JSON Schema data model
            BigDecimal d = p.getDecimalValue();
            if (d.signum() != 0 && d.stripTrailingZeros().scale() > 0) {
                f.rejection = reject(Reason.ID_NOT_INTEGER, field + " " + Excerpt.of(p.getText()) + " is not an integer");
            } else if (d.signum() < 0 || d.compareTo(MAX_ID) > 0) {
                f.rejection = reject(Reason.ID_OUT_OF_RANGE, field + " " + Excerpt.of(p.getText()) + " is outside [0, 2147483647]");
            } else {
                return d.intValue();
            }
            return -1;
        }
        f.rejection = reject(Reason.ID_WRONG_TYPE, field + " must be a JSON integer, got " + describe(t));
        return -1;
    }

    private static Rejection readRating(JsonParser p, JsonToken t, Fields f) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            f.rating = Float.NaN;
            return null;
        }
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            return reject(Reason.RATING_WRONG_TYPE, "rating must be a number or null, got " + describe(t));
        }
        double d = p.getDoubleValue();
        if (!Double.isFinite(d)) {
            return reject(Reason.RATING_NOT_FINITE, "rating " + Excerpt.of(p.getText()) + " overflows a double");
        }
        boolean inRange = d >= RatingEvent.MIN_RATING && d <= RatingEvent.MAX_RATING;
        // Rounding to double is monotonic, so only a value that rounded onto a bound can be misjudged: 5.000...01
        // becomes 5.0. Decide those exactly, as a schema validator would.
        if (d == RatingEvent.MIN_RATING || d == RatingEvent.MAX_RATING) {
            BigDecimal exact = p.getDecimalValue();
            inRange = exact.compareTo(MIN_R) >= 0 && exact.compareTo(MAX_R) <= 0;
        }
        if (!inRange) {
            return reject(Reason.RATING_OUT_OF_RANGE, "rating " + Excerpt.of(p.getText()) + " is outside [0.5, 5.0]");
        }
        f.rating = (float) d;
        return null;
    }

    static Rejection readTimestamp(JsonParser p, JsonToken t, Fields f) throws IOException {
        BigDecimal d;
        if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            long v = p.getLongValue();
            if (v >= 0 && v <= RatingEvent.MAX_TIMESTAMP) {
                f.timestamp = v;
                return null;
            }
            d = BigDecimal.valueOf(v);
        } else if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            d = p.getDecimalValue();
            if (d.signum() != 0 && d.stripTrailingZeros().scale() > 0) {
                return reject(Reason.TIMESTAMP_WRONG_TYPE, "timestamp " + Excerpt.of(p.getText()) + " is not an integer");
            }
        } else {
            return reject(Reason.TIMESTAMP_WRONG_TYPE, "timestamp must be integer seconds, got " + describe(t));
        }
        if (d.signum() < 0 || d.compareTo(MAX_TS) > 0) {
            return reject(Reason.TIMESTAMP_OUT_OF_RANGE, "timestamp " + Excerpt.of(p.getText())
                    + " is outside [0, " + RatingEvent.MAX_TIMESTAMP + "] seconds (milliseconds sent by mistake?)");
        }
        f.timestamp = d.longValue();
        return null;
    }

    /** Skips the value of an unknown field, enforcing the depth limit; the event object is depth 1. */
    Rejection skip(JsonParser p, JsonToken t) throws IOException {
        if (t == null || !t.isStructStart()) {
            return null;
        }
        int depth = 2;
        while (true) {
            if (depth > maxDepth) {
                return reject(Reason.TOO_DEEP, "nesting deeper than " + maxDepth + " levels");
            }
            t = p.nextToken();
            if (t == null) {
                return reject(Reason.UNPARSABLE_JSON, "unexpected end of input");
            } else if (t.isStructStart()) {
                depth++;
            } else if (t.isStructEnd() && --depth == 1) {
                return null;
            }
        }
    }

    /** The key as an id, or -1 unless it is the canonical key of a userId ({@link UserKey}). */
    static int parseKey(byte[] key) {
        return UserKey.parse(key);
    }

    static String describe(JsonToken t) {
        return switch (t) {
            case VALUE_STRING -> "a string";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            default -> String.valueOf(t);
        };
    }

    private static Rejection reject(Reason reason, String message) {
        return new Rejection(reason, message);
    }

    /** A parser of this one's limits over the same bytes ({@link InteractionEventParser} shares them). */
    JsonParser createParser(byte[] value) throws IOException {
        return json.createParser(value);
    }

    /**
     * Per-call scratch: what was read so far. Lives only for one {@link #parse} call (or one
     * {@link InteractionEventParser#parse}, which adds the weight).
     */
    static final class Fields {
        int seen;
        int userId;
        int itemId;
        float rating;
        float weight;
        long timestamp;
        Rejection rejection;
    }
}
