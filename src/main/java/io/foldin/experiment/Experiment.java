package io.foldin.experiment;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An A/B experiment: a name, the share of users in it (gradual rollout) and weighted variants, each a
 * ranking configuration. One JSON form everywhere: the body of {@code POST /experiments}, the
 * entries of the {@code experiments} setting's file, and the value of topic {@code experiments}
 * (schema {@code Experiment} in schemas/openapi.yaml).
 *
 * @param traffic   share of all users in the experiment, in (0, 1]
 * @param createdMs when it was defined (kept by a re-definition under the same name)
 */
public record Experiment(String name, double traffic, List<Variant> variants, long createdMs) {
    /** Experiment and variant names: they are parts of Kafka keys and URLs. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    static final int MAX_VARIANTS = 16;
    private static final Set<String> FIELDS = Set.of("name", "traffic", "variants", "createdMs");
    private static final Set<String> VARIANT_FIELDS = Set.of("name", "weight", "ranking");

    public Experiment {
        variants = List.copyOf(variants);
    }

    /**
     * One arm: its share of the experiment's users relative to the other weights, and its ranking.
     */
    public record Variant(String name, double weight, Ranking ranking) {
    }

    /**
     * The ranking options a variant may set; null leaves the request's own (or another experiment's).
     * {@code genreBoost}: score × (1 + 0.1·|genres|), seed 003 §16.1.1.
     */
    public record Ranking(Float biasWeight, Integer minRatings, Boolean genreBoost) {
        public static final Set<String> OPTIONS = Set.of("biasWeight", "minRatings", "genreBoost");

        JsonObject toJson() {
            JsonObject o = new JsonObject();
            if (biasWeight != null) {
                o.put("biasWeight", biasWeight);
            }
            if (minRatings != null) {
                o.put("minRatings", minRatings);
            }
            if (genreBoost != null) {
                o.put("genreBoost", genreBoost);
            }
            return o;
        }
    }

    /** A definition that is not valid: a stable snake_case code and a message naming the field. */
    public static final class Invalid extends IllegalArgumentException {
        private final String code;

        Invalid(String code, String message) {
            super(message);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    public Variant variant(String name) {
        return variants.stream().filter(v -> v.name().equals(name)).findFirst().orElse(null);
    }

    public double totalWeight() {
        return variants.stream().mapToDouble(Variant::weight).sum();
    }

    public static Experiment parse(String json, long nowMs) {
        JsonObject o;
        try {
            o = new JsonObject(json);
        } catch (DecodeException | ClassCastException e) {
            throw new Invalid("invalid_experiment", "the experiment is not a JSON object");
        }
        return parse(o, nowMs);
    }

    /** Checks every field; unknown fields and unknown ranking options are refused, not ignored. */
    public static Experiment parse(JsonObject o, long nowMs) {
        unknown(o, FIELDS, "experiment");
        String name = name(o.getValue("name"), "name");
        double traffic = number(o.getValue("traffic", 1.0), "traffic");
        if (!(traffic > 0 && traffic <= 1)) {
            throw new Invalid("invalid_experiment", "traffic must be in (0, 1], got " + traffic);
        }
        if (!(o.getValue("variants") instanceof JsonArray arr) || arr.size() < 2 || arr.size() > MAX_VARIANTS) {
            throw new Invalid("invalid_experiment", "variants must be an array of 2 to " + MAX_VARIANTS + " variants");
        }
        List<Variant> variants = new ArrayList<>();
        for (Object v : arr) {
            if (!(v instanceof JsonObject vo)) {
                throw new Invalid("invalid_experiment", "each variant must be an object");
            }
            unknown(vo, VARIANT_FIELDS, "variant");
            String vn = name(vo.getValue("name"), "variant name");
            if (variants.stream().anyMatch(x -> x.name().equals(vn))) {
                throw new Invalid("invalid_experiment", "variant " + vn + " is named twice");
            }
            double weight = number(vo.getValue("weight", 1.0), "weight");
            if (!(weight > 0 && weight <= 1e6)) {
                throw new Invalid("invalid_experiment", "weight of variant " + vn + " must be in (0, 1e6], got " + weight);
            }
            variants.add(new Variant(vn, weight, ranking(vo.getValue("ranking", new JsonObject()), vn)));
        }
        Object created = o.getValue("createdMs");
        long createdMs = created instanceof Number n ? n.longValue() : nowMs;
        return new Experiment(name, traffic, variants, createdMs);
    }

    private static Ranking ranking(Object value, String variant) {
        if (!(value instanceof JsonObject r)) {
            throw new Invalid("invalid_experiment", "ranking of variant " + variant + " must be an object");
        }
        for (String k : r.fieldNames()) {
            if (!Ranking.OPTIONS.contains(k)) {
                throw new Invalid("unsupported_variant_option", "variant " + variant + ": ranking option '" + k
                        + "' does not exist; supported: " + new java.util.TreeSet<>(Ranking.OPTIONS));
            }
        }
        Float bias = null;
        if (r.containsKey("biasWeight")) {
            double b = number(r.getValue("biasWeight"), "biasWeight");
            if (!(b >= -10 && b <= 10)) {
                throw new Invalid("invalid_experiment", "biasWeight must be in [-10, 10], got " + b);
            }
            bias = (float) b;
        }
        Integer min = null;
        if (r.containsKey("minRatings")) {
            if (!(r.getValue("minRatings") instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
                    || n.doubleValue() < 0 || n.doubleValue() > Integer.MAX_VALUE) {
                throw new Invalid("invalid_experiment", "minRatings must be an integer >= 0");
            }
            min = ((Number) r.getValue("minRatings")).intValue();
        }
        Boolean boost = null;
        if (r.containsKey("genreBoost")) {
            if (!(r.getValue("genreBoost") instanceof Boolean g)) {
                throw new Invalid("invalid_experiment", "genreBoost must be true or false");
            }
            boost = g;
        }
        return new Ranking(bias, min, boost);
    }

    private static void unknown(JsonObject o, Set<String> known, String what) {
        for (String k : o.fieldNames()) {
            if (!known.contains(k)) {
                throw new Invalid("invalid_experiment", "unknown " + what + " field '" + k + "'; known: "
                        + new java.util.TreeSet<>(known));
            }
        }
    }

    private static String name(Object v, String field) {
        if (!(v instanceof String s) || !NAME.matcher(s).matches()) {
            throw new Invalid("invalid_experiment", field + " must be 1-64 of [A-Za-z0-9_.-], starting with a "
                    + "letter or digit");
        }
        return s;
    }

    private static double number(Object v, String field) {
        if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            throw new Invalid("invalid_experiment", field + " must be a number");
        }
        return n.doubleValue();
    }

    public JsonObject toJson() {
        JsonArray vs = new JsonArray();
        for (Variant v : variants) {
            vs.add(new JsonObject().put("name", v.name()).put("weight", v.weight()).put("ranking", v.ranking().toJson()));
        }
        return new JsonObject().put("name", name).put("traffic", traffic).put("variants", vs).put("createdMs", createdMs);
    }
}
