package io.foldin.serve.http;

import io.foldin.stream.live.LiveModel;
import io.foldin.stream.topology.EntityState;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;


/**
 * Endpoints about one known user. Each first finds the user's owner: here, the state is read from
 * this instance's stores; elsewhere, the request is forwarded there.
 */
final class UserHandlers {
    private final UserStore users;
    private final Recommender rec;
    private final Forwarder forwarder;
    private final HttpSettings settings;
    private final LiveModel live;

    UserHandlers(UserStore users, Recommender rec, Forwarder forwarder, HttpSettings settings) {
        this.users = users;
        this.rec = rec;
        this.forwarder = forwarder;
        this.settings = settings;
        this.live = rec.live();
    }

    /** GET /users/{userId}/recommendations: top-k unrated items. */
    void recommendations(RoutingContext ctx) {
        int userId = Params.id(ctx, "userId");
        Recommender.Query q = Params.query(ctx, settings);
        UserStore.Owner owner = users.owner(userId);
        if (!owner.local()) {
            forwarder.forward(ctx, owner.host());
            return;
        }
        EntityState st = known(owner, userId);
        Recommender.Rated rated = live.rated().get(owner.partition(), userId, u -> users.ratedItems(owner, u))::contains;
        rec.forUser(Vertx.currentContext(), st.factor(), st.stats().gram(), st.count(), q, rated)
                .onSuccess(list -> Views.send(ctx, 200, new JsonObject().put("userId", userId)
                        .put("query", Views.query(q)).put("items", Views.ranked(live, list))))
                .onFailure(ctx::fail);
    }

    /** GET /users/{userId}: rating count, bias and factor norm. */
    void user(RoutingContext ctx) {
        int userId = Params.id(ctx, "userId");
        UserStore.Owner owner = users.owner(userId);
        if (!owner.local()) {
            forwarder.forward(ctx, owner.host());
            return;
        }
        EntityState st = known(owner, userId);
        float[] f = st.factor();
        Views.send(ctx, 200, new JsonObject().put("userId", userId).put("ratings", st.count())
                .put("bias", Views.round(f[f.length - 1])).put("norm", Views.round(Recommender.norm(f)))
                .put("variance", Views.variance(rec.userVariance(st)))
                .put("partition", owner.partition()));
    }

    /** GET /users/{userId}/items/{itemId}/prediction: predicted rating and its standard deviation. */
    void prediction(RoutingContext ctx) {
        int userId = Params.id(ctx, "userId");
        int itemId = Params.id(ctx, "itemId");
        UserStore.Owner owner = users.owner(userId);
        if (!owner.local()) {
            forwarder.forward(ctx, owner.host());
            return;
        }
        EntityState st = known(owner, userId);
        Recommender.Prediction p = rec.predict(st, itemId, users.rating(owner, userId, itemId));
        if (p == null) {
            throw ApiError.notFound("unknown_item", "item " + itemId + " has no factors");
        }
        Views.send(ctx, 200, Views.item(live, itemId).put("userId", userId)
                .put("predictedRating", Views.round(p.predicted())).put("std", Views.round(p.std()))
                .put("ratingStd", Views.round(p.ratingStd())).put("rating", Views.round(p.rating())));
    }

    private EntityState known(UserStore.Owner owner, int userId) {
        EntityState st = users.state(owner, userId);
        if (st == null || st.count() == 0) {
            throw ApiError.notFound("unknown_user", "user " + userId + " has no ratings");
        }
        return st;
    }
}
