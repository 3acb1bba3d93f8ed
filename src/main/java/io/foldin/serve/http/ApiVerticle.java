package io.foldin.serve.http;

import io.foldin.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

/**
 * One HTTP server on one event loop. {@link HttpApi} deploys one per event loop on the same port;
 * Vert.x spreads connections over them, and each handles its requests start to end on its thread.
 */
final class ApiVerticle extends VerticleBase {
    private final Routes.Handlers handlers;
    private final HttpSettings settings;
    private final Metrics metrics;
    private HttpServer server;

    ApiVerticle(Routes.Handlers handlers, HttpSettings settings, Metrics metrics) {
        this.handlers = handlers;
        this.settings = settings;
        this.metrics = metrics;
    }

    @Override
    public Future<?> start() {
        // On the verticle's event loop: requests ahead of stream and broker threads for a core. Takes effect
        // with -XX:ThreadPriorityPolicy=1 and root or CAP_SYS_NICE (README, "Serving latency").
        Thread.currentThread().setPriority(Thread.MAX_PRIORITY);
        server = vertx.createHttpServer(new HttpServerOptions().setHost(settings.host()).setPort(settings.port())
                .setTcpNoDelay(true).setIdleTimeout(120));
        Router router = Routes.router(vertx, handlers, settings, metrics);
        return server.requestHandler(req -> {
            String problem = RequestGuard.problem(req.uri());
            if (problem == null) {
                router.handle(req);
            } else {
                req.response().setStatusCode(400).putHeader("content-type", Views.JSON)
                        .end(Views.error(400, "invalid_request_target", problem).toBuffer());
            }
        }).listen();
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
