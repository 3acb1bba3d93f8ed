package io.foldin.serve.http;

import io.foldin.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

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
        server = vertx.createHttpServer(new HttpServerOptions().setHost(settings.host()).setPort(settings.port())
                .setTcpNoDelay(true).setIdleTimeout(120));
        return server.requestHandler(Routes.router(vertx, handlers, settings, metrics)).listen();
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
