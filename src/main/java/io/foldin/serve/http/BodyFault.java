package io.foldin.serve.http;

import io.foldin.stream.event.Reason;

/**
 * The one vocabulary of request-body faults, shared by every route that takes a JSON body
 * ({@code POST /ratings}, {@code POST /recommendations}). Where a fault is one a rating event can have,
 * the code is the stream's dead-letter {@link Reason} code (a public contract of the DLQ headers,
 * never renamed), so the same fault reads the same over HTTP and in {@code ratings-dlq}; the rest are
 * HTTP-only. Listed in the {@code Error} schema of {@code schemas/openapi.yaml}.
 */
enum BodyFault {
    /** 415: the content type is not {@code application/json} (parameters and case do not matter). */
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type"),
    /** 413: the body is larger than {@code http.max.body.bytes}. */
    BODY_TOO_LARGE(413, "body_too_large"),
    /** No body, or an empty one. */
    MISSING_BODY(400, "missing_body"),
    INVALID_UTF8(400, Reason.INVALID_UTF8),
    /** Not JSON at all (syntax error, truncated, ...). */
    UNPARSABLE_JSON(400, Reason.UNPARSABLE_JSON),
    /** JSON, but not an object. */
    NOT_AN_OBJECT(400, Reason.NOT_AN_OBJECT),
    /** A field of the right name has the wrong shape (e.g. {@code ratings} not an array of objects). */
    INVALID_BODY(400, "invalid_body"),
    MISSING_ITEM_ID(400, Reason.MISSING_ITEM_ID),
    MISSING_RATING(400, Reason.MISSING_RATING),
    ID_WRONG_TYPE(400, Reason.ID_WRONG_TYPE),
    ID_NOT_INTEGER(400, Reason.ID_NOT_INTEGER),
    ID_OUT_OF_RANGE(400, Reason.ID_OUT_OF_RANGE),
    RATING_WRONG_TYPE(400, Reason.RATING_WRONG_TYPE),
    RATING_NOT_FINITE(400, Reason.RATING_NOT_FINITE),
    RATING_OUT_OF_RANGE(400, Reason.RATING_OUT_OF_RANGE),
    /** {@code POST /recommendations}: more ratings than {@code http.max.anonymous.ratings}. */
    TOO_MANY_RATINGS(400, "too_many_ratings");

    private final int status;
    private final String code;

    BodyFault(int status, String code) {
        this.status = status;
        this.code = code;
    }

    BodyFault(int status, Reason reason) {
        this(status, reason.code());
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    ApiError error(String message) {
        return new ApiError(status, code, message);
    }
}
