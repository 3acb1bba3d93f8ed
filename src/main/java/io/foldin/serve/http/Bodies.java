package io.foldin.serve.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.math.BigDecimal;

/** Request bodies: JSON decoding and typed fields, every problem a 400 naming the field. */
final class Bodies {
    private Bodies() {
    }

    static JsonObject object(RoutingContext ctx) {
        if (!ctx.body().available() || ctx.body().length() <= 0) {
            throw ApiError.badRequest("missing_body", "a JSON object body is required");
        }
        Object v;
        try {
            v = io.vertx.core.json.Json.decodeValue(ctx.body().buffer());
        } catch (RuntimeException e) {
            throw ApiError.badRequest("invalid_json", "the body is not valid JSON");
        }
        if (!(v instanceof JsonObject o)) {
            throw ApiError.badRequest("invalid_json", "the body must be a JSON object");
        }
        return o;
    }

    /** An integer id in [0, 2^31-1] (296 and 296.0 both count, as in the event schema). */
    static int id(Object v, String field) {
        if (v instanceof Number n) {
            BigDecimal b = new BigDecimal(n.toString());
            if (b.signum() >= 0 && b.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0
                    && b.stripTrailingZeros().scale() <= 0) {
                return b.intValue();
            }
        }
        throw ApiError.badRequest("invalid_id", field + " must be an integer in [0, 2147483647]");
    }

    static double number(Object v, String field) {
        if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        throw ApiError.badRequest("invalid_body", field + " must be a number");
    }
}
