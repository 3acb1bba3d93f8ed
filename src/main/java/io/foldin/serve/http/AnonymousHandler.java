package io.foldin.serve.http;

import io.foldin.stream.event.RatingEvent;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * POST /recommendations: recommendations for an anonymous user described only by the ratings in
 * the body, {@code {"ratings": [{"itemId": 296, "rating": 5.0}, ...]}}, folded into a transient
 * user that is never stored (the seeds' "dummy user who loves one film"). With {@code "model": "implicit"} the
 * body lists interacted {@code items} instead, for the live implicit model ({@link ImplicitHandlers#anonymous}).
 */
final class AnonymousHandler {
    private final Recommender rec;
    private final HttpSettings settings;
    private final ImplicitHandlers implicit;

    AnonymousHandler(Recommender rec, HttpSettings settings, ImplicitHandlers implicit) {
        this.rec = rec;
        this.settings = settings;
        this.implicit = implicit;
    }

    void recommend(RoutingContext ctx) {
        JsonObject body = Bodies.object(ctx);
        if (ImplicitHandlers.implicitBody(body)) {
            implicit.anonymous(ctx, body);
            return;
        }
        Recommender.Query q = Params.query(ctx, settings);
        if (body.containsKey("items")) {
            throw BodyFault.INVALID_BODY.error("\"items\" is for \"model\": \"implicit\"; the explicit model takes \"ratings\"");
        }
        Object raw = body.getValue("ratings");
        if (!(raw instanceof JsonArray list)) {
            throw BodyFault.INVALID_BODY.error("the body needs \"ratings\": an array of {itemId, rating}");
        }
        if (list.size() > settings.maxAnonymousRatings()) {
            throw BodyFault.TOO_MANY_RATINGS.error("at most " + settings.maxAnonymousRatings()
                    + " ratings, got " + list.size());
        }
        int[] items = new int[list.size()];
        float[] ratings = new float[list.size()];
        for (int i = 0; i < list.size(); i++) {
            if (!(list.getValue(i) instanceof JsonObject r)) {
                throw BodyFault.INVALID_BODY.error("ratings[" + i + "] must be an object {itemId, rating}");
            }
            items[i] = Bodies.id(r.getValue("itemId"), "ratings[" + i + "].itemId");
            double v = Bodies.rating(r.getValue("rating"), "ratings[" + i + "].rating");
            if (!(v >= RatingEvent.MIN_RATING && v <= RatingEvent.MAX_RATING)) {
                throw BodyFault.RATING_OUT_OF_RANGE.error("ratings[" + i + "].rating must be in [0.5, 5.0]");
            }
            ratings[i] = (float) v;
        }
        rec.forRatings(Vertx.currentContext(), items, ratings, q)
                .onSuccess(a -> Views.send(ctx, 200, new JsonObject().put("query", Views.query(q).put("search", rec.search(q)))
                        .put("bias", Views.round(a.bias())).put("ignoredItems", new JsonArray(a.ignored()))
                        .put("items", Views.ranked(rec.live(), a.items()))))
                .onFailure(ctx::fail);
    }
}
