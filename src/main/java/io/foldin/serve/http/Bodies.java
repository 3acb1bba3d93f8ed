package io.foldin.serve.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Request bodies: JSON decoding and typed fields, every problem a 400 naming the field, with the
 * codes of {@link BodyFault} (the rating parser's where the fault is the same).
 */
final class Bodies {
    private Bodies() {
    }

    static JsonObject object(RoutingContext ctx) {
        if (!ctx.body().available() || ctx.body().length() <= 0) {
            throw BodyFault.MISSING_BODY.error("a JSON object body is required");
        }
        if (!wellFormedUtf8(ctx.body().buffer().getBytes())) {
            throw BodyFault.INVALID_UTF8.error("the body is not well-formed UTF-8");
        }
        Object v;
        try {
            v = io.vertx.core.json.Json.decodeValue(ctx.body().buffer());
        } catch (RuntimeException e) {
            throw BodyFault.UNPARSABLE_JSON.error("the body is not valid JSON");
        }
        if (!(v instanceof JsonObject o)) {
            throw BodyFault.NOT_AN_OBJECT.error("the body must be a JSON object");
        }
        return o;
    }

    /** As the rating parser decides it: overlong forms, encoded surrogates and truncated sequences are not. */
    static boolean wellFormedUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** An integer id in [0, 2^31-1] (296 and 296.0 both count, as in the event schema). */
    static int id(Object v, String field) {
        if (v == null) {
            throw BodyFault.MISSING_ITEM_ID.error(field + " is required");
        }
        if (!(v instanceof Number n)) {
            throw BodyFault.ID_WRONG_TYPE.error(field + " must be a number");
        }
        BigDecimal b;
        try {
            b = new BigDecimal(n.toString());
        } catch (NumberFormatException e) {
            // Infinity or NaN: not an integer in range.
            throw BodyFault.ID_OUT_OF_RANGE.error(field + " must be an integer in [0, 2147483647]");
        }
        if (b.stripTrailingZeros().scale() > 0) {
            throw BodyFault.ID_NOT_INTEGER.error(field + " must be an integer");
        }
        if (b.signum() < 0 || b.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
            throw BodyFault.ID_OUT_OF_RANGE.error(field + " must be an integer in [0, 2147483647]");
        }
        return b.intValue();
    }

    /** A rating: present, a finite number (the range is the caller's to check). */
    static double rating(Object v, String field) {
        if (v == null) {
            throw BodyFault.MISSING_RATING.error(field + " is required");
        }
        if (!(v instanceof Number n)) {
            throw BodyFault.RATING_WRONG_TYPE.error(field + " must be a number");
        }
        if (!Double.isFinite(n.doubleValue())) {
            throw BodyFault.RATING_NOT_FINITE.error(field + " must be a finite number");
        }
        return n.doubleValue();
    }
}
