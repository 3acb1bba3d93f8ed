package io.foldin.serve.http;

/**
 * An expected failure with its HTTP status and a stable snake_case code; the failure handler turns
 * it into the JSON error body. No stack trace: these are answers, not bugs.
 */
public final class ApiError extends RuntimeException {
    private final int status;
    private final String code;

    public ApiError(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public static ApiError badRequest(String code, String message) {
        return new ApiError(400, code, message);
    }

    public static ApiError notFound(String code, String message) {
        return new ApiError(404, code, message);
    }

    /** The answer cannot be given now (rebalance, restore, owner unreachable); the client may retry. */
    public static ApiError unavailable(String code, String message) {
        return new ApiError(503, code, message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
