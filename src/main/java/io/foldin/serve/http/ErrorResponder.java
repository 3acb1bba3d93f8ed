package io.foldin.serve.http;

import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one failure handler: every failed request ends here and gets a JSON error
 * {@code {"status", "error", "message"}}, never a stack trace. {@link ApiError}s carry their own
 * status and code; Vert.x's own failures (no route 404, wrong method 405, body too large 413, ...)
 * keep their status with a generic code; anything else is a bug: logged, answered 500.
 */
final class ErrorResponder {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponder.class);

    void handle(RoutingContext ctx) {
        if (ctx.response().ended()) {
            return;
        }
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        Throwable t = ctx.failure();
        int status;
        String code;
        String message;
        if (t instanceof ApiError e) {
            status = e.status();
            code = e.code();
            message = e.getMessage();
        } else if (t instanceof DecodeException) {
            status = 400;
            code = BodyFault.UNPARSABLE_JSON.code();
            message = "the body is not valid JSON";
        } else if (t == null || (ctx.statusCode() >= 400 && ctx.statusCode() < 500)) {
            status = ctx.statusCode() < 400 ? 500 : ctx.statusCode();
            code = codeOf(status);
            message = messageOf(status, ctx);
        } else {
            status = 500;
            code = "internal_error";
            message = "internal error; the server log has the details";
            LOG.error("{} {} failed", ctx.request().method(), Params.excerpt(ctx.request().path()), t);
        }
        if (status == 405) {
            ctx.response().putHeader("allow", "GET, POST");
        }
        if (status == 503) {
            ctx.response().putHeader("retry-after", "1");
        }
        Views.send(ctx, status, Views.error(status, code, message));
    }

    private static String codeOf(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> BodyFault.BODY_TOO_LARGE.code();
            case 414 -> "uri_too_long";
            case 415 -> BodyFault.UNSUPPORTED_MEDIA_TYPE.code();
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal_error" : "client_error";
        };
    }

    private static String contentType(RoutingContext ctx) {
        String t = ctx.request().getHeader("content-type");
        return t == null ? "none" : "'" + Params.excerpt(t) + "'";
    }

    private static String messageOf(int status, RoutingContext ctx) {
        return switch (status) {
            case 404 -> "no endpoint at " + Params.excerpt(ctx.request().path());
            case 405 -> ctx.request().method() + " is not allowed on " + Params.excerpt(ctx.request().path());
            case 413 -> "the request body is larger than the limit";
            case 415 -> "the body must be JSON: content-type application/json (charset and case do not matter), got "
                    + contentType(ctx);
            default -> "request failed with status " + status;
        };
    }
}
