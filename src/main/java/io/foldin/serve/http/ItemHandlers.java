package io.foldin.serve.http;

import io.foldin.stream.live.ItemCatalog;
import io.foldin.stream.live.LiveModel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/** Endpoints about items: every instance holds all item factors, so these are always answered locally. */
final class ItemHandlers {
    private final Recommender rec;
    private final HttpSettings settings;
    private final LiveModel live;

    ItemHandlers(Recommender rec, HttpSettings settings) {
        this.rec = rec;
        this.settings = settings;
        this.live = rec.live();
    }

    /** GET /items/{itemId}/similar: cosine neighbours in factor space. */
    void similar(RoutingContext ctx) {
        int itemId = Params.id(ctx, "itemId");
        Recommender.Query q = Params.itemQuery(ctx, settings);
        Future<List<Recommender.Scored>> list = rec.similar(Vertx.currentContext(), itemId, q);
        if (list == null) {
            throw ApiError.notFound("unknown_item", "item " + itemId + " has no factors");
        }
        list.onSuccess(l -> Views.send(ctx, 200, new JsonObject().put("itemId", itemId).put("query", Views.itemQuery(q))
                .put("items", Views.neighbours(live, l, "similarity")))).onFailure(ctx::fail);
    }

    /** GET /items/popular: the most rated items. */
    void popular(RoutingContext ctx) {
        Recommender.Query q = Params.itemQuery(ctx, settings);
        Views.send(ctx, 200, new JsonObject().put("query", Views.itemQuery(q))
                .put("items", Views.popular(live, rec.popular(q))));
    }

    /** GET /items/{itemId}: metadata, rating count, bias and factor norm. */
    void item(RoutingContext ctx) {
        int itemId = Params.id(ctx, "itemId");
        float[] f = rec.itemFactor(itemId);
        ItemCatalog.Item meta = live.catalog().get(itemId);
        if (f == null && meta == null) {
            throw ApiError.notFound("unknown_item", "item " + itemId + " is not known");
        }
        Views.send(ctx, 200, Views.item(live, itemId).put("ratings", rec.itemCount(itemId))
                .put("bias", f == null ? null : Views.round(f[f.length - 1]))
                .put("norm", f == null ? null : Views.round(Recommender.norm(f))));
    }
}
