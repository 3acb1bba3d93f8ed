package io.foldin.serve.http;

import io.foldin.serve.rank.Ranking;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/** Path and query parameters, strictly parsed: anything malformed is a 400 naming the parameter. */
final class Params {
    private Params() {
    }

    /** A path id: a canonical decimal in [0, 2^31-1] (no sign, no leading zeros). */
    static int id(RoutingContext ctx, String name) {
        String s = ctx.pathParam(name);
        int id = parseId(s);
        if (id < 0) {
            throw ApiError.badRequest("invalid_id", name + " must be an integer in [0, 2147483647], got '"
                    + excerpt(s) + "'");
        }
        return id;
    }

    /** The id, or -1 when the text is not a canonical decimal in [0, 2^31-1]. */
    static int parseId(String s) {
        if (s == null || s.isEmpty() || s.length() > 10 || (s.length() > 1 && s.charAt(0) == '0')) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v > Integer.MAX_VALUE ? -1 : (int) v;
    }

    static int integer(RoutingContext ctx, String name, int dflt, int min, int max) {
        String s = single(ctx, name);
        if (s == null) {
            return dflt;
        }
        try {
            int v = Integer.parseInt(s);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiError.badRequest("invalid_parameter", name + " must be an integer in [" + min + ", " + max
                + "], got '" + excerpt(s) + "'");
    }

    /** {@code true} or {@code false}; absent: the default. */
    static boolean bool(RoutingContext ctx, String name, boolean dflt) {
        String s = single(ctx, name);
        if (s == null) {
            return dflt;
        }
        if (s.equals("true") || s.equals("false")) {
            return s.equals("true");
        }
        throw ApiError.badRequest("invalid_parameter", name + " must be true or false, got '" + excerpt(s) + "'");
    }

    static float number(RoutingContext ctx, String name, float dflt, float min, float max) {
        String s = single(ctx, name);
        if (s == null) {
            return dflt;
        }
        try {
            float v = Float.parseFloat(s);
            if (v >= min && v <= max && s.chars().allMatch(c -> "0123456789.-+eE".indexOf(c) >= 0)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiError.badRequest("invalid_parameter", name + " must be a number in [" + min + ", " + max
                + "], got '" + excerpt(s) + "'");
    }

    /**
     * Default w in {@code score = U·V_i + w·b_i}: chosen by ranking metrics on ml-latest-small (evaluate
     * --bias-weights, load-tests/RESULTS.md): 0.1 has the best mean precision@10 over three splits with 0.25
     * (0.0486 / 0.0487); 1 drowns personalisation (0.034).
     */
    static final float DEFAULT_BIAS_WEIGHT = 0.1f;

    /** The ranking options shared by the list endpoints. */
    static Recommender.Query query(RoutingContext ctx, HttpSettings settings) {
        return new Recommender.Query(integer(ctx, "k", 10, 1, settings.maxK()),
                integer(ctx, "minRatings", 0, 0, Integer.MAX_VALUE),
                number(ctx, "biasWeight", DEFAULT_BIAS_WEIGHT, -10f, 10f), ranking(ctx), number(ctx, "beta", 1f, 0f, 100f),
                bool(ctx, "exact", false));
    }

    /** {@code mean} (default), {@code uncertainty} or {@code ucb}. */
    static Ranking ranking(RoutingContext ctx) {
        String s = single(ctx, "ranking");
        if (s == null) {
            return Ranking.MEAN;
        }
        Ranking r = Ranking.parse(s);
        if (r == null) {
            throw ApiError.badRequest("invalid_parameter", "ranking must be mean, uncertainty or ucb, got '"
                    + excerpt(s) + "'");
        }
        return r;
    }

    /**
     * The options of {@code /items/{id}/similar}, which ranks by cosine (weighed by the neighbour's variance under
     * {@code ranking}): {@code biasWeight} has no effect there and is a 400 rather than silently ignored.
     */
    static Recommender.Query similarQuery(RoutingContext ctx, HttpSettings settings) {
        reject(ctx, "biasWeight", "similar items rank by cosine similarity");
        return new Recommender.Query(integer(ctx, "k", 10, 1, settings.maxK()),
                integer(ctx, "minRatings", 0, 0, Integer.MAX_VALUE), 0f, ranking(ctx), number(ctx, "beta", 1f, 0f, 100f));
    }

    /** The options of {@code /items/popular}, ranked by rating count: the score options are a 400 there. */
    static Recommender.Query popularQuery(RoutingContext ctx, HttpSettings settings) {
        for (String p : new String[] {"biasWeight", "ranking", "beta"}) {
            reject(ctx, p, "popular items rank by rating count");
        }
        return new Recommender.Query(integer(ctx, "k", 10, 1, settings.maxK()),
                integer(ctx, "minRatings", 0, 0, Integer.MAX_VALUE), 0f);
    }

    /** Whether {@code model=implicit} (the live iALS model); {@code explicit}, the default, otherwise. */
    static boolean implicitModel(RoutingContext ctx) {
        String s = single(ctx, "model");
        if (s == null || s.equals("explicit")) {
            return false;
        }
        if (s.equals("implicit")) {
            return true;
        }
        throw ApiError.badRequest("invalid_parameter", "model must be explicit or implicit, got '" + excerpt(s) + "'");
    }

    /**
     * The k of a {@code model=implicit} list, ranked by {@code x_uᵀ y_i} alone: the explicit model's score options
     * (biasWeight, minRatings, beta, a ranking other than mean) mean nothing there and are a 400.
     */
    static int implicitK(RoutingContext ctx, HttpSettings settings) {
        String why = "the implicit model ranks by x_u·y_i alone (no biases, rating counts or variances)";
        for (String p : new String[] {"biasWeight", "minRatings", "beta"}) {
            reject(ctx, p, why);
        }
        if (ranking(ctx) != Ranking.MEAN) {
            throw ApiError.badRequest("invalid_parameter", "ranking must be mean with model=implicit: " + why);
        }
        return integer(ctx, "k", 10, 1, settings.maxK());
    }

    private static void reject(RoutingContext ctx, String name, String why) {
        if (single(ctx, name) != null) {
            throw ApiError.badRequest("invalid_parameter", name + " has no effect here: " + why);
        }
    }

    private static String single(RoutingContext ctx, String name) {
        List<String> v;
        try {
            v = ctx.queryParam(name);
        } catch (IllegalArgumentException e) {
            // Netty's decoder rejects malformed escapes such as "%zz".
            throw ApiError.badRequest("invalid_query", "the query string is not well formed");
        }
        if (v.isEmpty()) {
            return null;
        }
        if (v.size() > 1) {
            throw ApiError.badRequest("invalid_parameter", name + " is given " + v.size() + " times");
        }
        return v.get(0);
    }

    static String excerpt(String s) {
        if (s == null) {
            return "";
        }
        String t = s.length() > 40 ? s.substring(0, 40) + "…" : s;
        StringBuilder b = new StringBuilder(t.length());
        t.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return b.toString();
    }
}
