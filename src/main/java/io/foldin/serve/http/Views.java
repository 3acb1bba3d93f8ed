package io.foldin.serve.http;

import io.foldin.stream.live.ItemCatalog;
import io.foldin.stream.live.LiveModel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/** JSON bodies of the responses (schemas in schemas/openapi.yaml), written in one place. */
final class Views {
    static final String JSON = "application/json";

    private Views() {
    }

    static void send(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("content-type", JSON).end(body.toBuffer());
    }

    /** Item id with its title and genres (null title and no genres when no metadata arrived). */
    static JsonObject item(LiveModel live, int itemId) {
        ItemCatalog.Item meta = live.catalog().get(itemId);
        return new JsonObject().put("itemId", itemId).put("title", meta == null ? null : meta.title())
                .put("genres", new JsonArray(meta == null ? List.of() : meta.genres()));
    }

    /** Ranked items: {@code predictedRating} is the clipped rating, {@code unclippedRating} the model's r̂. */
    static JsonArray ranked(LiveModel live, List<Recommender.Scored> list) {
        JsonArray a = new JsonArray();
        for (Recommender.Scored s : list) {
            JsonObject o = item(live, s.itemId()).put("score", round(s.score()))
                    .put("predictedRating", round(Recommender.clip(s.predicted())))
                    .put("unclippedRating", round(s.predicted()));
            if (!Double.isNaN(s.variance())) {
                o.put("variance", round(s.variance()));
            }
            a.add(o);
        }
        return a;
    }

    static JsonArray neighbours(LiveModel live, List<Recommender.Scored> list, String scoreName) {
        JsonArray a = new JsonArray();
        for (Recommender.Scored s : list) {
            JsonObject o = item(live, s.itemId()).put(scoreName, round(s.score()));
            if (!Double.isNaN(s.variance())) {
                o.put("variance", round(s.variance()));
            }
            a.add(o);
        }
        return a;
    }

    /** The selection score of popular items is their rating count. */
    static JsonArray popular(LiveModel live, List<Recommender.Scored> list) {
        JsonArray a = new JsonArray();
        for (Recommender.Scored s : list) {
            a.add(item(live, s.itemId()).put("ratings", (int) s.score()));
        }
        return a;
    }

    static JsonObject query(Recommender.Query q) {
        JsonObject o = new JsonObject().put("k", q.k()).put("minRatings", q.minRatings())
                .put("biasWeight", q.biasWeight()).put("ranking", q.ranking().label()).put("exact", q.exact());
        return q.ranking() == io.foldin.serve.rank.Ranking.UCB ? o.put("beta", q.beta()) : o;
    }

    /**
     * An entity's posterior variances {@code [V; b]} or {@code [U; b]} (D+1 values) as
     * {@code {"factor": tr(S_VV)/D, "bias": S_bb}}; null when unknown.
     */
    static JsonObject variance(double[] v) {
        if (v == null) {
            return null;
        }
        int d = v.length - 1;
        double s = 0;
        for (int k = 0; k < d; k++) {
            s += v[k];
        }
        return new JsonObject().put("factor", d == 0 ? null : round(s / d)).put("bias", round(v[d]));
    }

    /** The item lists' query: no biasWeight (they do not rank by it). */
    static JsonObject itemQuery(Recommender.Query q) {
        return new JsonObject().put("k", q.k()).put("minRatings", q.minRatings());
    }

    /** Similar items' options: {@link #itemQuery} and the ranking (with beta under ucb). */
    static JsonObject similarQuery(Recommender.Query q) {
        JsonObject o = itemQuery(q).put("ranking", q.ranking().label());
        return q.ranking() == io.foldin.serve.rank.Ranking.UCB ? o.put("beta", q.beta()) : o;
    }

    static JsonObject error(int status, String code, String message) {
        return new JsonObject().put("status", status).put("error", code).put("message", message);
    }

    /** Six decimals are plenty for scores (float precision); NaN and infinities become null (JSON has none). */
    static Double round(double v) {
        if (!Double.isFinite(v)) {
            return null;
        }
        return Math.abs(v) < 1e9 ? Math.round(v * 1e6) / 1e6 : v;
    }
}
