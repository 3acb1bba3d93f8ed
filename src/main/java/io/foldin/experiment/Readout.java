package io.foldin.experiment;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The readout of an experiment from its variants' totals: per variant users, exposures, outcome
 * mean, variance and 95% interval, conversion with its interval; each variant against the first (the
 * control): Welch's t on the per-user outcome with p and the 95% interval of the difference, the
 * pooled two-proportion z on conversion with p; and the sample-ratio-mismatch check, Pearson's
 * chi-square of the users per variant against the weights. Values that need more data are null.
 */
public final class Readout {
    /** Below this p the readout flags a sample-ratio mismatch: assignment or logging is broken. */
    public static final double SRM_ALPHA = 0.001;

    private Readout() {
    }

    public static JsonObject of(Experiment e, Map<String, VariantTotals> totals, double alpha) {
        JsonArray variants = new JsonArray();
        List<Experiment.Variant> vs = e.variants();
        long[] users = new long[vs.size()];
        double[] weights = new double[vs.size()];
        VariantTotals control = totals.get(vs.get(0).name());
        for (int i = 0; i < vs.size(); i++) {
            Experiment.Variant v = vs.get(i);
            VariantTotals t = totals.get(v.name());
            users[i] = t.users();
            weights[i] = v.weight();
            double sd = Math.sqrt(t.variance());
            double[] mi = Stats.meanInterval(t.mean(), sd, t.converted());
            JsonObject o = new JsonObject().put("name", v.name()).put("weight", v.weight())
                    .put("ranking", v.ranking().toJson()).put("users", t.users()).put("exposures", t.exposures())
                    .put("outcomeRatings", t.ratings()).put("converted", t.converted())
                    .put("outcomeMean", num(t.mean())).put("outcomeVariance", num(t.variance()))
                    .put("outcomeMeanCi95", pair(mi));
            double conv = t.users() == 0 ? Double.NaN : (double) t.converted() / t.users();
            o.put("conversion", num(conv))
                    .put("conversionCi95", t.users() == 0 ? null : pair(Stats.proportionInterval(t.converted(), t.users())));
            if (i > 0) {
                o.put("vsControl", compare(control, t, alpha));
            }
            variants.add(o);
        }
        Stats.ChiSquare srm = Stats.goodnessOfFit(users, weights);
        return e.toJson().put("alpha", alpha).put("control", vs.get(0).name())
                .put("variants", variants)
                .put("sampleRatio", new JsonObject().put("chiSquare", num(srm.statistic())).put("df", srm.df())
                        .put("p", num(srm.p())).put("mismatch", Double.isFinite(srm.p()) && srm.p() < SRM_ALPHA));
    }

    /** Treatment minus control. */
    static JsonObject compare(VariantTotals c, VariantTotals t, double alpha) {
        JsonObject o = new JsonObject();
        if (c.converted() >= 2 && t.converted() >= 2) {
            Stats.Welch w = Stats.welch(t.mean(), Math.sqrt(t.variance()), t.converted(), c.mean(),
                    Math.sqrt(c.variance()), c.converted());
            o.put("outcome", new JsonObject().put("diff", num(w.diff())).put("t", num(w.t())).put("df", num(w.df()))
                    .put("p", num(w.p())).put("ci95", pair(new double[] {w.low(), w.high()}))
                    .put("significant", Double.isFinite(w.p()) && w.p() < alpha));
        } else {
            o.put("outcome", null);
        }
        if (c.users() > 0 && t.users() > 0) {
            Stats.TwoProportion z = Stats.twoProportion(t.converted(), t.users(), c.converted(), c.users());
            o.put("conversion", new JsonObject().put("diff", num(z.diff())).put("z", num(z.z())).put("p", num(z.p()))
                    .put("ci95", pair(new double[] {z.low(), z.high()}))
                    .put("significant", Double.isFinite(z.p()) && z.p() < alpha));
        } else {
            o.put("conversion", null);
        }
        return o;
    }

    private static Double num(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static JsonArray pair(double[] v) {
        List<Object> l = new ArrayList<>(2);
        l.add(num(v[0]));
        l.add(num(v[1]));
        return new JsonArray(l);
    }
}
