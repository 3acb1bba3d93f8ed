package io.foldin.stream.event;

/**
 * Why a rating event was rejected. Each reason has a stable snake_case {@link #code()}: it is what the
 * {@code foldin.dlq.reason} header and the metrics carry, so codes are never renamed or reused; new reasons
 * get new codes. The enum constant names may change, the codes may not.
 *
 * <p>When an event has several problems the parser reports the first it meets, in this order: value present
 * and within the size limit, key format, UTF-8, then the JSON in document order, then missing fields, then
 * key/userId agreement.
 */
public enum Reason {
    /** The record value is null (a tombstone) or empty. */
    VALUE_MISSING("value_missing"),
    /** The value is longer than the configured limit (4 KiB by default). */
    VALUE_TOO_LARGE("value_too_large"),
    /**
     * The key is present but not a canonical decimal int in [0, 2^31-1] (digits only, no leading zeros). Only
     * where the parser is given a key to check; the stream no longer does: the body's userId decides and a
     * misplaced event is re-keyed to its owner (see {@code io.foldin.stream.topology.Misplaced}).
     */
    KEY_INVALID("key_invalid"),
    /** The key is a valid id but differs from the value's userId. Like {@link #KEY_INVALID}, no longer dead-lettered. */
    KEY_MISMATCH("key_mismatch"),
    /** The value is not well-formed UTF-8 (includes overlong forms and encoded surrogates). */
    INVALID_UTF8("invalid_utf8"),
    /** The value is not JSON (syntax error, truncated, NaN/Infinity literals, comments, ...). */
    UNPARSABLE_JSON("unparsable_json"),
    /** The value is JSON but not an object (array, string, number, true/false/null). */
    NOT_AN_OBJECT("not_an_object"),
    /** Something other than whitespace follows the object. */
    TRAILING_DATA("trailing_data"),
    /** A member name occurs twice in the top-level object (which one would win is parser-dependent). */
    DUPLICATE_FIELD("duplicate_field"),
    /** Objects or arrays nested deeper than the configured limit (16 by default), e.g. in an unknown field. */
    TOO_DEEP("too_deep"),
    MISSING_USER_ID("missing_user_id"),
    MISSING_ITEM_ID("missing_item_id"),
    MISSING_RATING("missing_rating"),
    /** userId or itemId is not a JSON number (a string, boolean, null, object or array). */
    ID_WRONG_TYPE("id_wrong_type"),
    /** userId or itemId is a number with a fractional part. */
    ID_NOT_INTEGER("id_not_integer"),
    /** userId or itemId is an integer outside [0, 2^31-1]. */
    ID_OUT_OF_RANGE("id_out_of_range"),
    /** rating is neither a number nor null. */
    RATING_WRONG_TYPE("rating_wrong_type"),
    /** rating is a number too large for a double (e.g. 1e400). */
    RATING_NOT_FINITE("rating_not_finite"),
    /** rating is a number outside [0.5, 5.0]. */
    RATING_OUT_OF_RANGE("rating_out_of_range"),
    /** timestamp is present but not an integer (string, null, fractional number, ...). */
    TIMESTAMP_WRONG_TYPE("timestamp_wrong_type"),
    /** timestamp is an integer outside [0, 253402300799] (negative, or milliseconds by mistake). */
    TIMESTAMP_OUT_OF_RANGE("timestamp_out_of_range"),
    /** timestamp is absent and the Kafka record has no timestamp either. */
    TIMESTAMP_MISSING("timestamp_missing"),
    /** Interaction events: weight is not a JSON number. */
    WEIGHT_WRONG_TYPE("weight_wrong_type"),
    /** Interaction events: weight is not in [0.001, 1000]. */
    WEIGHT_OUT_OF_RANGE("weight_out_of_range"),
    /** Interaction events: kind is not a lower-case label of at most 32 characters. */
    KIND_INVALID("kind_invalid");

    private final String code;

    Reason(String code) {
        this.code = code;
    }

    /** The stable snake_case code, e.g. {@code rating_out_of_range}. */
    public String code() {
        return code;
    }

    /** The reason with this code; {@link IllegalArgumentException} when no reason has it. */
    public static Reason ofCode(String code) {
        for (Reason r : values()) {
            if (r.code.equals(code)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown reason code " + code);
    }
}
