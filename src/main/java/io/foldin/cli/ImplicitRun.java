package io.foldin.cli;

import io.foldin.data.RatingLog;
import io.foldin.data.Split;
import io.foldin.eval.ImplicitEvaluation;
import io.foldin.eval.ModelKind;
import io.foldin.eval.RankingMetrics;
import io.foldin.model.BprParams;
import io.foldin.model.ImplicitParams;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code evaluate --model popularity|bpr|ials}: positives by threshold, then the split, then training with
 * {@link ImplicitEvaluation} and the ranking metrics per epoch as a table (or JSON).
 */
final class ImplicitRun {
    private ImplicitRun() {
    }

    /**
     * @param all        every rating read (the threshold is applied here, before the split)
     * @param testFile   a separate test log over {@code all}'s indexes, or null to split {@code split}
     */
    static int run(ModelKind model, RatingLog all, RatingLog testFile, String split, long seed, ImplicitOptions o,
                   BprParams bpr, ImplicitParams ials, int threads, boolean json, String ratings,
                   Progress progress) {
        double t = o.threshold();
        Split.TrainTest tt;
        if (testFile != null) {
            RatingLog both = ImplicitEvaluation.positives(all, t);
            RatingLog test = new RatingLog(both.users(), both.items(), testFile.size());
            for (int k = 0; k < testFile.size(); k++) {
                if (testFile.rating(k) >= t) {
                    test.add(testFile.users().idOf(testFile.user(k)), testFile.items().idOf(testFile.item(k)), 1f,
                            testFile.time(k));
                }
            }
            tt = new Split.TrainTest(both, test);
        } else {
            tt = Split.parse(split, ImplicitEvaluation.positives(all, t), seed);
        }
        if (o.validation != null) {
            // the test split is never looked at: the training part is split again and scored on its held-out part
            tt = ImplicitEvaluation.validationSplit(tt.train(), o.validation, seed);
        }
        progress.line("%,d positives (ratings >= %s): train %,d, %s %,d; %,d users, %,d items", tt.train().size()
                        + tt.test().size(), fmt(t), tt.train().size(), o.validation == null ? "test" : "validation",
                tt.test().size(), tt.train().users().size(), tt.train().items().size());
        ImplicitEvaluation.Options options = new ImplicitEvaluation.Options(model, bpr, ials, o.ialsSweeps(),
                threads, seed, o.evalEvery);
        ImplicitEvaluation.Result r = ImplicitEvaluation.run(tt.train(), tt.test(), options, e -> progress.line(
                "epoch %d: loss %.4f, %.2f s%s", e.epoch(), e.loss(), e.seconds(), e.metrics() == null ? ""
                        : String.format(Locale.ROOT, ", AUC %.4f, P@10 %.4f, R@10 %.4f", e.metrics().auc(),
                        e.metrics().precisionAt(10), e.metrics().recallAt(10))));
        if (json) {
            System.out.println(Json.write(report(model, r, options, t, split, o, ratings)));
        } else {
            table(model, r);
        }
        return 0;
    }

    /**
     * {@code evaluate --model biased --bias-weights ...}: the ranking metrics per bias weight, as a table on stdout
     * (unless {@code json}) and as the list returned for the JSON report.
     */
    static List<Map<String, Object>> biasWeights(io.foldin.model.FactorModel model, RatingLog train, RatingLog test,
                                                 ImplicitOptions o, boolean json) {
        List<ImplicitEvaluation.Weighted> rows = ImplicitEvaluation.explicitRanking(model, train, test, o.threshold(),
                o.biasWeights);
        List<Map<String, Object>> out = new ArrayList<>();
        for (ImplicitEvaluation.Weighted w : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("bias_weight", w.biasWeight());
            m.putAll(w.metrics().asMap());
            out.add(m);
        }
        if (!json) {
            System.out.printf(Locale.ROOT, "ranking by U·V + w·b_i (positives: test ratings >= %s; rated items excluded)%n",
                    fmt(o.threshold()));
            StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-6s", "w"));
            for (String key : rows.get(0).metrics().asMap().keySet()) {
                head.append(String.format(Locale.ROOT, " %7s", shortKey(key)));
            }
            System.out.println(head);
            for (ImplicitEvaluation.Weighted w : rows) {
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-6s", fmt(w.biasWeight())));
                for (double v : w.metrics().asMap().values()) {
                    row.append(String.format(Locale.ROOT, " %7.4f", v));
                }
                System.out.println(row);
            }
        }
        return out;
    }

    private static void table(ModelKind model, ImplicitEvaluation.Result r) {
        if (r.last().metrics() == null) {
            System.out.printf(Locale.ROOT, "%s: %d epochs, not scored (--eval-every 0); seconds per epoch %s%n", model,
                    r.curve().size(), r.curve().stream().map(e -> String.format(Locale.ROOT, "%.2f", e.seconds())).toList());
            return;
        }
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-6s %8s %7s", "epoch", "loss", "s"));
        for (String key : r.last().metrics().asMap().keySet()) {
            head.append(String.format(Locale.ROOT, " %7s", shortKey(key)));
        }
        System.out.println(model + ": ranking metrics of held-out positives (training items excluded)");
        System.out.println(head);
        for (ImplicitEvaluation.Epoch e : r.curve()) {
            if (e.metrics() == null) {
                continue;
            }
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-6d %8.4f %7.2f", e.epoch(), e.loss(),
                    e.seconds()));
            for (double v : e.metrics().asMap().values()) {
                row.append(String.format(Locale.ROOT, " %7.4f", v));
            }
            System.out.println(row);
        }
    }

    /** {@code precision_at_10} → {@code P@10}: the table's columns stay narrow. */
    private static String shortKey(String key) {
        return key.replace("precision_at_", "P@").replace("recall_at_", "R@").replace("ndcg_at_", "N@")
                .replace("auc", "AUC");
    }

    private static Map<String, Object> report(ModelKind model, ImplicitEvaluation.Result r,
                                              ImplicitEvaluation.Options options, double threshold, String split,
                                              ImplicitOptions o, String ratings) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("model", model.label());
        p.put("implicit_threshold", threshold);
        p.put("split", split);
        p.put("validation", o.validation);
        p.put("seed", options.seed());
        if (model == ModelKind.BPR) {
            BprParams b = options.bpr();
            p.put("factors", b.factors());
            p.put("learning_rate", b.learningRate());
            p.put("regularization", b.regularization());
            p.put("bias_regularization", b.biasRegularization());
            p.put("epochs", b.epochs());
            p.put("negatives", b.negatives().label());
            p.put("negative_samples", b.negativeSamples());
        }
        if (model == ModelKind.IALS) {
            p.put("factors", options.ials().factors());
            p.put("alpha", options.ials().alpha());
            p.put("regularization", options.ials().lambda());
            p.put("epochs", options.sweeps());
            p.put("threads", options.threads());
        }
        p.put("ratings", ratings);
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("users", r.users());
        counts.put("items", r.items());
        counts.put("train_positives", r.trainPositives());
        counts.put(o.validation == null ? "test_positives" : "validation_positives", r.testPositives());
        RankingMetrics.Result last = r.last().metrics();
        counts.put("scored_users", last == null ? null : last.users());
        counts.put("auc_users", last == null ? null : last.aucUsers());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("command", "evaluate");
        out.put("params", p);
        out.put("counts", counts);
        if (last != null) {
            out.putAll(last.asMap());
        }
        List<Map<String, Object>> curve = new ArrayList<>();
        List<Double> seconds = new ArrayList<>();
        for (ImplicitEvaluation.Epoch e : r.curve()) {
            seconds.add(e.seconds());
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("epoch", e.epoch());
            point.put("loss", e.loss());
            point.put("seconds", e.seconds());
            if (e.metrics() != null) {
                point.putAll(e.metrics().asMap());
            }
            curve.add(point);
        }
        out.put("seconds_per_epoch", seconds);
        out.put("median_epoch_seconds", median(seconds));
        out.put("curve", curve);
        return out;
    }

    private static double median(List<Double> xs) {
        double[] s = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String fmt(double x) {
        return x == Math.rint(x) ? String.valueOf((long) x) : String.valueOf(x);
    }
}
