package io.foldin.serve.http;

import io.foldin.stream.live.LiveModel;
import io.foldin.stream.topology.EntityState;
import io.foldin.experiment.ExperimentBook;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.List;


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
    private final ExposureLog exposures;
    private final ImplicitHandlers implicit;

    UserHandlers(UserStore users, Recommender rec, Forwarder forwarder, HttpSettings settings, ExposureLog exposures,
                 ImplicitHandlers implicit) {
        this.exposures = exposures;
        this.implicit = implicit;
        this.users = users;
        this.rec = rec;
        this.forwarder = forwarder;
        this.settings = settings;
        this.live = rec.live();
    }

    /** GET /users/{userId}/recommendations: top-k unrated items; {@code model=implicit}: {@link ImplicitHandlers}. */
    void recommendations(RoutingContext ctx) {
        if (Params.implicitModel(ctx)) {
            implicit.userRecommendations(ctx);
            return;
        }
        int userId = Params.id(ctx, "userId");
        Recommender.Query q = Params.query(ctx, settings);
        UserStore.Owner owner = users.owner(userId);
        if (!owner.local()) {
            forwarder.forward(ctx, owner.host());
            return;
        }
        EntityState st = known(owner, userId);
        Recommender.Rated rated = live.rated().get(owner.partition(), userId, u -> users.ratedItems(owner, u))::contains;
        ExperimentBook.Resolved r = live.experiments().resolve(userId, q.biasWeight(), q.minRatings(), false);
        if (r.experiments().isEmpty()) {
            rec.forUser(Vertx.currentContext(), st.factor(), st.stats().gram(), st.count(), q, rated)
                    .onSuccess(list -> Views.send(ctx, 200, new JsonObject().put("userId", userId)
                            .put("query", Views.query(q).put("search", rec.search(q)))
                            .put("items", Views.ranked(live, list))))
                    .onFailure(ctx::fail);
            return;
        }
        // In experiments: their variants' options (ExperimentBook's precedence), then the exposures, then the answer.
        Recommender.Query vq = new Recommender.Query(q.k(), r.minRatings(), r.biasWeight(), q.ranking(), q.beta(),
                q.exact());
        Future<List<Recommender.Scored>> ranked = r.genreBoost()
                ? Future.succeededFuture(GenreBoost.rank(live, st.factor(), vq, rated))
                : rec.forUser(Vertx.currentContext(), st.factor(), st.stats().gram(), st.count(), vq, rated);
        ranked.compose(list -> {
            int[] items = list.stream().mapToInt(Recommender.Scored::itemId).toArray();
            return exposures.write(userId, items, System.currentTimeMillis(), r.experiments()).map(v -> list);
        }).onSuccess(list -> Views.send(ctx, 200, new JsonObject().put("userId", userId)
                        .put("query", Views.query(vq).put("genreBoost", r.genreBoost())
                                .put("search", r.genreBoost() ? "exact" : rec.search(vq)))
                        .put("items", Views.ranked(live, list)).put("experiments", served(r))))
                .onFailure(ctx::fail);
    }

    /** Which experiments and variants served the list, and the options each applied. */
    private static JsonArray served(ExperimentBook.Resolved r) {
        JsonArray a = new JsonArray();
        for (ExperimentBook.Assigned x : r.experiments()) {
            a.add(new JsonObject().put("experiment", x.experiment().name()).put("variant", x.variant().name())
                    .put("applied", new JsonArray(List.copyOf(x.applied()))));
        }
        return a;
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

    /**
     * GET /users/{userId}/ratings?k=: the user's k most recent stored ratings (by event time, then item id)
     * with titles, and how many there are: the history the page shows beside the recommendations.
     */
    void ratings(RoutingContext ctx) {
        int userId = Params.id(ctx, "userId");
        int k = Params.integer(ctx, "k", 10, 1, settings.maxK());
        UserStore.Owner owner = users.owner(userId);
        if (!owner.local()) {
            forwarder.forward(ctx, owner.host());
            return;
        }
        List<UserStore.StoredRating> all = new java.util.ArrayList<>(users.ratings(owner, userId));
        if (all.isEmpty()) {
            throw ApiError.notFound("unknown_user", "user " + userId + " has no ratings");
        }
        all.sort(java.util.Comparator.comparingLong(UserStore.StoredRating::timestamp).reversed()
                .thenComparingInt(UserStore.StoredRating::itemId));
        JsonArray items = new JsonArray();
        for (UserStore.StoredRating r : all.subList(0, Math.min(k, all.size()))) {
            items.add(Views.item(live, r.itemId()).put("rating", Views.round(r.rating())).put("timestamp", r.timestamp()));
        }
        Views.send(ctx, 200, new JsonObject().put("userId", userId).put("count", all.size()).put("items", items));
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
                .put("predictedRating", Views.round(Recommender.clip(p.predicted())))
                .put("unclippedRating", Views.round(p.predicted())).put("std", Views.round(p.std()))
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
