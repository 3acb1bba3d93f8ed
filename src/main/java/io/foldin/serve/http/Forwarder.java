package io.foldin.serve.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Sends a query about a user that lives on another instance to that instance and relays its answer
 * (status, content type, body) unchanged, so clients never see where a user lives. A forwarded
 * request carries {@value #HEADER}; an instance that receives one for a user it does not own
 * answers 503 instead of forwarding again, so a stale view during a rebalance cannot loop.
 */
final class Forwarder {
    static final String HEADER = "x-foldin-forwarded-by";

    private final HttpClient client;
    private final HostInfo self;
    private final long timeoutMs;

    Forwarder(HttpClient client, HostInfo self, long timeoutMs) {
        this.client = client;
        this.self = self;
        this.timeoutMs = timeoutMs;
    }

    void forward(RoutingContext ctx, HostInfo owner) {
        if (ctx.request().getHeader(HEADER) != null) {
            throw ApiError.unavailable("not_owner", "forwarded here by " + ctx.request().getHeader(HEADER)
                    + " but " + owner + " owns the user now (rebalancing); retry");
        }
        RequestOptions opts = new RequestOptions().setMethod(ctx.request().method()).setHost(owner.host())
                .setPort(owner.port()).setURI(ctx.request().uri()).setTimeout(timeoutMs)
                .putHeader(HEADER, self.host() + ":" + self.port());
        Buffer body = ctx.body().available() && ctx.body().buffer() != null ? ctx.body().buffer() : Buffer.buffer();
        client.request(opts)
                .compose(req -> req.send(body))
                .compose(resp -> resp.body().map(b -> new Relayed(resp, b)))
                .onSuccess(r -> {
                    String type = r.response.getHeader("content-type");
                    ctx.response().setStatusCode(r.response.statusCode())
                            .putHeader("content-type", type == null ? Views.JSON : type).end(r.body);
                })
                .onFailure(e -> ctx.fail(ApiError.unavailable("owner_unreachable",
                        "instance " + owner.host() + ":" + owner.port() + " owns the user but did not answer: "
                                + e.getMessage())));
    }

    private record Relayed(HttpClientResponse response, Buffer body) {
    }
}
