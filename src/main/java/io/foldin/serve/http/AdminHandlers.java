package io.foldin.serve.http;

import io.foldin.stream.live.ModelEpoch;
import io.foldin.stream.sweep.SweepCoordinator;
import io.vertx.core.Context;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The admin routes: {@link #authorize} runs before each of them (bearer token, 401 otherwise), then
 * {@code POST /admin/sweep} starts a sweep now.
 */
final class AdminHandlers {
    /** The longest {@code POST /admin/sweep?wait=true} waits before it answers 503 (the sweep goes on). */
    static final long WAIT_MINUTES = 10;
    static final int MAX_ITERATIONS = 100;

    private final SweepCoordinator sweeps;
    private final AdminToken token;

    AdminHandlers(SweepCoordinator sweeps, AdminToken token) {
        this.sweeps = sweeps;
        this.token = token;
    }

    /** Lets the request through with {@code Authorization: Bearer <admin.token>}; 401 otherwise. */
    void authorize(RoutingContext ctx) {
        String auth = ctx.request().getHeader("authorization");
        if (auth == null) {
            ctx.response().putHeader("www-authenticate", "Bearer");
            throw new ApiError(401, "missing_admin_token",
                    "admin routes need the header 'Authorization: Bearer <admin.token>'");
        }
        if (!token.matches(auth)) {
            ctx.response().putHeader("www-authenticate", "Bearer error=\"invalid_token\"");
            throw new ApiError(401, "invalid_admin_token", "the bearer token is not this service's admin.token");
        }
        ctx.next();
    }

    /**
     * POST /admin/sweep?iterations=&warm=&wait=: asks for a sweep at the next punctuation. 202 with the
     * epoch it will produce; with {@code wait=true}, 200 with that epoch's summary once every task has
     * installed it. Any instance takes the request: with the partitions spread over instances it reaches the
     * leader of the gathered sweep (docs/design.md §2.9), and the epoch in the 202 is then this instance's guess.
     */
    void sweep(RoutingContext ctx) {
        int iterations = Params.integer(ctx, "iterations", sweeps.iterations(), 1, MAX_ITERATIONS);
        boolean warm = Params.bool(ctx, "warm", sweeps.warmByDefault());
        boolean wait = Params.bool(ctx, "wait", false);
        SweepCoordinator.Requested r = sweeps.request(iterations, warm);
        if (!wait) {
            Views.send(ctx, 202, new JsonObject().put("status", "requested").put("epoch", r.epoch())
                    .put("iterations", iterations).put("warm", warm));
            return;
        }
        Context vc = ctx.vertx().getOrCreateContext();
        r.done().copy().orTimeout(WAIT_MINUTES, TimeUnit.MINUTES).whenComplete((e, err) -> vc.runOnContext(v -> {
            if (err != null) {
                Throwable c = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                ctx.fail(c instanceof TimeoutException
                        ? ApiError.unavailable("sweep_timeout", "the sweep for epoch " + r.epoch()
                                + " did not finish within " + WAIT_MINUTES + " min; it goes on")
                        : ApiError.unavailable("sweep_failed", "the sweep failed: " + c.getMessage()));
                return;
            }
            Views.send(ctx, 200, summary(e, iterations, warm));
        }));
    }

    static JsonObject summary(ModelEpoch e, int iterations, boolean warm) {
        ModelEpoch.SweepInfo s = e.sweep();
        return new JsonObject().put("status", "done").put("epoch", e.epoch()).put("iterations", iterations)
                .put("warm", warm).put("mu", Views.round(e.mu())).put("ratings", s.ratings())
                .put("durationMs", s.durationMs()).put("finishedMs", s.finishedMs())
                .put("holdoutRmse", Views.round(s.holdoutRmse()));
    }
}
