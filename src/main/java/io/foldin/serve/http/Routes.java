package io.foldin.serve.http;

import io.foldin.metrics.Histogram;
import io.foldin.metrics.Metric;
import io.foldin.metrics.Metrics;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Every route, in one place: method, path, body limit where a body is read, the named handler, and
 * a latency histogram per route ({@code foldin_http_request_seconds{route=...}}) with a response
 * counter by status ({@code foldin_http_responses_total}).
 */
final class Routes {
    /** The handlers the routes dispatch to. */
    record Handlers(UserHandlers users, ItemHandlers items, AnonymousHandler anonymous, RatingsHandler ratings,
                    OpsHandlers ops, AdminHandlers admin, ExperimentHandlers experiments, ErrorResponder errors) {
    }

    private Routes() {
    }

    static Router router(Vertx vertx, Handlers h, HttpSettings settings, Metrics metrics) {
        Router r = Router.router(vertx);
        Timing t = new Timing(metrics);
        get(r, t, "/users/:userId/recommendations", h.users()::recommendations);
        get(r, t, "/users/:userId/items/:itemId/prediction", h.users()::prediction);
        get(r, t, "/users/:userId/ratings", h.users()::ratings);
        get(r, t, "/users/:userId", h.users()::user);
        get(r, t, "/items/popular", h.items()::popular);
        get(r, t, "/items/:itemId/similar", h.items()::similar);
        get(r, t, "/items/:itemId", h.items()::item);
        post(r, t, settings, "/recommendations", h.anonymous()::recommend);
        post(r, t, settings, "/ratings", h.ratings()::post);
        get(r, t, "/health/live", h.ops()::live);
        get(r, t, "/health/ready", h.ops()::ready);
        get(r, t, "/metrics", h.ops()::metrics);
        get(r, t, "/stats", h.ops()::stats);
        get(r, t, "/", h.ops()::page);
        get(r, t, "/report", h.ops()::report);
        admin(r, t, h.admin(), "/admin/sweep", h.admin()::sweep);
        get(r, t, "/experiments", h.experiments()::list);
        get(r, t, "/experiments/:name", h.experiments()::readout);
        // Changes need the admin token, checked before the content type and the body.
        r.route(HttpMethod.POST, "/experiments").handler(h.admin()::authorize);
        post(r, t, settings, "/experiments", h.experiments()::define);
        r.route(HttpMethod.DELETE, "/experiments/:name").handler(t.timed("/experiments/:name", h.admin()::authorize))
                .handler(h.experiments()::delete);
        r.route().failureHandler(h.errors()::handle);
        // Failures outside any route (no match, wrong method, bad request line) get the same JSON.
        for (int status : new int[] {400, 404, 405, 406, 413, 414, 415, 500, 501, 503}) {
            r.errorHandler(status, h.errors()::handle);
        }
        return r;
    }

    private static void get(Router r, Timing t, String path, Handler<RoutingContext> handler) {
        r.route(HttpMethod.GET, path).handler(t.timed(path, handler));
    }

    /**
     * A route that reads a JSON body: the content type is checked first ({@link #jsonOnly}, 415 before
     * any byte of the body is read), then the body handler with the size limit (413 past it).
     */
    private static void post(Router r, Timing t, HttpSettings settings, String path, Handler<RoutingContext> handler) {
        // A route of its own: Vert.x allows no handler before a route's body handler.
        r.route(HttpMethod.POST, path).handler(Routes::jsonOnly);
        r.route(HttpMethod.POST, path)
                .handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes()))
                .handler(t.timed(path, handler));
    }

    /**
     * Passes a request whose content type is {@code application/json}, with any parameters
     * ({@code ; charset=utf-8}) and in any case (media types are case-insensitive, RFC 9110 §8.3.1);
     * fails any other, or none, with a 415. Not {@code Route.consumes}: Vert.x 5.1 matches its type
     * case-sensitively, so {@code Application/JSON} would be refused.
     */
    static void jsonOnly(RoutingContext ctx) {
        if (isJson(ctx.request().getHeader("content-type"))) {
            ctx.next();
        } else {
            ctx.fail(415);
        }
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().equalsIgnoreCase(Views.JSON);
    }

    /** An admin route: POST, no body read, the bearer token checked first (401 without it). */
    private static void admin(Router r, Timing t, AdminHandlers admin, String path, Handler<RoutingContext> handler) {
        r.route(HttpMethod.POST, path).handler(t.timed(path, admin::authorize)).handler(handler);
    }

    /** Per-route latency from the handler's start to the response's end, and responses by status. */
    private record Timing(Metrics metrics) {
        Handler<RoutingContext> timed(String path, Handler<RoutingContext> handler) {
            String route = path.replaceAll(":(\\w+)", "{$1}");
            Histogram latency = metrics.histogram(Metric.HTTP_REQUEST_SECONDS, route);
            return ctx -> {
                long t0 = System.nanoTime();
                ctx.addBodyEndHandler(v -> {
                    latency.observeNanos(System.nanoTime() - t0);
                    metrics.counter(Metric.HTTP_RESPONSES, route, Integer.toString(ctx.response().getStatusCode()))
                            .increment();
                });
                handler.handle(ctx);
            };
        }
    }
}
