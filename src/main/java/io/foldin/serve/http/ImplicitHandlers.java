package io.foldin.serve.http;

import io.foldin.model.ImplicitParams;
import io.foldin.serve.rank.ImplicitRanker;
import io.foldin.stream.live.LiveModel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Arrays;
import java.util.List;

/**
 * The live implicit (iALS) model's endpoints (design §1.9): {@code GET /users/{id}/recommendations?model=implicit}
 * and {@code POST /recommendations} with {@code "model": "implicit"}. Both rank by {@code x_uᵀ y_i} over the live
 * item table ({@link ImplicitRanker}); the user's vector is in the global table on every instance, but the items
 * it interacted with are in its owner's store, so a user's request goes to the owner as the explicit ones do.
 * Experiments set explicit options only and do not apply here.
 */
final class ImplicitHandlers {
    /** Where a user's interacted items come from: the owner's store (ascending ids). */
    interface Interacted {
        int[] items(UserStore.Owner owner, int userId);
    }

    private final UserStore users;
    private final Interacted interacted;
    private final Forwarder forwarder;
    private final HttpSettings settings;
    private final LiveModel live;
    private final boolean enabled;
    private final ThreadLocal<ImplicitRanker> ranker;

    /**
     * @param enabled {@code implicit.enabled}: when false both endpoints answer 400 {@code implicit_disabled}
     * @param params  the live model's {@code implicit.*} parameters (its tables' D, α and λ)
     */
    ImplicitHandlers(UserStore users, Interacted interacted, Forwarder forwarder, HttpSettings settings, LiveModel live,
                     boolean enabled, ImplicitParams params) {
        this.users = users;
        this.interacted = interacted;
        this.forwarder = forwarder;
        this.settings = settings;
        this.live = live;
        this.enabled = enabled;
        this.ranker = ThreadLocal.withInitial(() -> new ImplicitRanker(params));
    }

    /** GET /users/{userId}/recommendations?model=implicit: top-k items the user has not interacted with. */
    void userRecommendations(RoutingContext ctx) {
        int userId = Params.id(ctx, "userId");
        int k = Params.implicitK(ctx, settings);
        checkEnabled();
        UserStore.Owner owner = users.owner(userId);
        if (!owner.local()) {
            forwarder.forward(ctx, owner.host());
            return;
        }
        float[] x = new float[live.implicitUsers().factors()];
        if (!live.implicitUsers().get(userId, x)) {
            throw ApiError.notFound("unknown_user", "user " + userId + " has no implicit vector yet"
                    + " (no interaction or rating at or above implicit.threshold folded in)");
        }
        int[] seen = interacted.items(owner, userId);
        List<ImplicitRanker.Scored> top = ranker.get().top(live.implicitItems(), x, k,
                id -> Arrays.binarySearch(seen, id) >= 0);
        Views.send(ctx, 200, new JsonObject().put("userId", userId).put("query", query(k)).put("items", items(top)));
    }

    /** Whether a POST /recommendations body asks for the implicit model ({@code "model"}, default explicit). */
    static boolean implicitBody(JsonObject body) {
        Object m = body.getValue("model");
        if (m == null || "explicit".equals(m)) {
            return false;
        }
        if ("implicit".equals(m)) {
            return true;
        }
        throw BodyFault.INVALID_BODY.error("model must be \"explicit\" or \"implicit\"");
    }

    /**
     * POST /recommendations with {@code "model": "implicit"} and {@code "items"}: ids, or
     * {@code {"itemId", "weight"}} objects (weight > 0, default 1; a repeated id's weights add). The transient user's
     * exact solve against the live Y and YᵀY, then its top-k of the items not listed.
     */
    void anonymous(RoutingContext ctx, JsonObject body) {
        int k = Params.implicitK(ctx, settings);
        checkEnabled();
        if (body.containsKey("ratings")) {
            throw BodyFault.INVALID_BODY.error("model implicit takes \"items\" (ids or {itemId, weight}), not \"ratings\"");
        }
        if (!(body.getValue("items") instanceof JsonArray list)) {
            throw BodyFault.INVALID_BODY.error("the body needs \"items\": an array of item ids or {itemId, weight}");
        }
        if (list.size() > settings.maxAnonymousRatings()) {
            throw BodyFault.TOO_MANY_RATINGS.error("at most " + settings.maxAnonymousRatings() + " items, got "
                    + list.size());
        }
        int[] ids = new int[list.size()];
        float[] weights = new float[list.size()];
        for (int i = 0; i < list.size(); i++) {
            String field = "items[" + i + "]";
            Object v = list.getValue(i);
            if (v instanceof JsonObject o) {
                ids[i] = Bodies.id(o.getValue("itemId"), field + ".itemId");
                weights[i] = weight(o.getValue("weight"), field + ".weight");
            } else {
                ids[i] = Bodies.id(v, field);
                weights[i] = 1f;
            }
        }
        ImplicitRanker r = ranker.get();
        ImplicitRanker.Transient t = r.solveTransient(live.implicitItems(), ids, weights);
        List<ImplicitRanker.Scored> top = List.of();
        if (t.vector() != null) {
            int[] listed = ids.clone();
            Arrays.sort(listed);
            top = r.top(live.implicitItems(), t.vector(), k, id -> Arrays.binarySearch(listed, id) >= 0);
        }
        Views.send(ctx, 200, new JsonObject().put("query", query(k))
                .put("ignoredItems", new JsonArray(List.copyOf(t.ignored()))).put("items", items(top)));
    }

    /** A weight: absent is 1, else a finite number > 0 (a float's range). */
    private static float weight(Object v, String field) {
        if (v == null) {
            return 1f;
        }
        if (!(v instanceof Number n)) {
            throw BodyFault.INVALID_BODY.error(field + " must be a number");
        }
        float w = n.floatValue();
        if (!(w > 0) || Float.isInfinite(w)) {
            throw BodyFault.INVALID_BODY.error(field + " must be a finite number > 0");
        }
        return w;
    }

    private void checkEnabled() {
        if (!enabled) {
            throw ApiError.badRequest("implicit_disabled", "the implicit model is off (implicit.enabled=false)");
        }
    }

    private static JsonObject query(int k) {
        return new JsonObject().put("model", "implicit").put("k", k);
    }

    /** Items with titles and {@code score = x_uᵀ y_i}. */
    private JsonArray items(List<ImplicitRanker.Scored> top) {
        JsonArray a = new JsonArray();
        for (ImplicitRanker.Scored s : top) {
            a.add(Views.item(live, s.itemId()).put("score", Views.round(s.score())));
        }
        return a;
    }
}
