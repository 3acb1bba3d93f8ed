package io.foldin.cli;

import io.foldin.eval.Evaluation;
import io.foldin.eval.Tuning;
import io.foldin.model.AlsParams;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What {@code tune} prints: the table, the {@code --json} object, and the {@code --write-config} file. */
final class TuneReport {
    private final TuneCommand cmd;
    private final Tuning.Plan plan;
    private final Tuning.Outcome outcome;
    private final double seconds;

    TuneReport(TuneCommand cmd, Tuning.Plan plan, Tuning.Outcome outcome, double seconds) {
        this.cmd = cmd;
        this.plan = plan;
        this.outcome = outcome;
        this.seconds = seconds;
    }

    /** The trials by mean validation RMSE (best first), the chosen setting with its test RMSE, the curve by D. */
    String table() {
        StringBuilder sb = new StringBuilder();
        List<Tuning.Trial> sorted = new ArrayList<>(outcome.search().trials());
        sorted.sort(Comparator.comparingDouble(t -> nanLast(t.meanValidationRmse())));
        sb.append(String.format(Locale.ROOT, "%4s %7s %8s %8s %8s  %-10s %-9s %s%n", "rank", "factors", "lambda", "tau",
                "gamma", "val RMSE", "train", "per fold"));
        for (int r = 0; r < sorted.size(); r++) {
            Tuning.Trial t = sorted.get(r);
            sb.append(String.format(Locale.ROOT, "%4d %7d %8s %8s %8s  %-10.4f %-9.4f %s%n", r + 1,
                    t.params().factors(), num(t.params().lambda()), num(t.params().tau()), num(t.params().gamma()),
                    t.meanValidationRmse(), t.meanTrainRmse(), perFold(t.validationRmse())));
        }
        AlsParams b = best().params();
        Evaluation.Result test = outcome.test();
        sb.append(String.format(Locale.ROOT, "best: factors=%d lambda=%s tau=%s gamma=%s, validation RMSE %.4f (%s); "
                        + "test RMSE %.4f on %s (scored once, after choosing; train RMSE %.4f); %.1f s%n",
                b.factors(), num(b.lambda()), num(b.tau()), num(b.gamma()), best().meanValidationRmse(), scheme(),
                test.last().testRmse(), cmd.split, test.last().trainRmse(), seconds));
        if (cmd.curveWanted(plan)) {
            sb.append("by D (best setting per D): factors, train RMSE, validation RMSE\n");
            for (Tuning.Trial t : outcome.search().curve()) {
                sb.append(String.format(Locale.ROOT, "  %4d  %.4f  %.4f%n", t.params().factors(), t.meanTrainRmse(),
                        t.meanValidationRmse()));
            }
        }
        return sb.toString();
    }

    Map<String, Object> json() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("ratings", cmd.ratings.toString());
        p.put("movies", cmd.movies == null ? null : cmd.movies.toString());
        p.put("model", plan.model().label());
        p.put("split", cmd.split);
        p.put("seed", plan.seed());
        p.put("search", cmd.search);
        p.put("settings", plan.settings().size());
        p.put("folds", plan.folds() >= 2 ? plan.folds() : null);
        p.put("validation", plan.folds() >= 2 ? null : plan.validation());
        p.put("iterations", plan.iterations());
        p.put("solver", plan.solver().toString());
        p.put("threads", plan.threads());
        List<Object> trials = new ArrayList<>();
        for (Tuning.Trial t : outcome.search().trials()) {
            trials.add(trial(t));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("command", "tune");
        out.put("params", p);
        out.put("trials", trials);
        out.put("best", trial(best()));
        out.put("test_rmse", outcome.test().last().testRmse());
        out.put("test_rmse_all", outcome.test().last().testRmseAll());
        out.put("test_train_rmse", outcome.test().last().trainRmse());
        if (cmd.curveWanted(plan)) {
            List<Object> curve = new ArrayList<>();
            for (Tuning.Trial t : outcome.search().curve()) {
                curve.add(trial(t));
            }
            out.put("curve", curve);
        }
        out.put("seconds", seconds);
        out.put("cpu_seconds", cpuSeconds());
        return out;
    }

    /**
     * The chosen setting under the keys of {@code serve}'s settings ({@code ServiceConfig}), as a properties file
     * for {@code serve --config FILE}.
     */
    void writeConfig(Path file) throws IOException {
        AlsParams b = best().params();
        String text = String.format(Locale.ROOT, "# foldin tune: %s, %s, validation RMSE %.4f, test RMSE %.4f on %s%n"
                        + "factors=%d%nlambda=%s%ntau=%s%ngamma=%s%n", cmd.ratings, scheme(), best().meanValidationRmse(),
                outcome.test().last().testRmse(), cmd.split, b.factors(), b.lambda(), b.tau(), b.gamma());
        Files.writeString(file, text, StandardCharsets.ISO_8859_1);
    }

    private Tuning.Trial best() {
        return outcome.search().best();
    }

    private String scheme() {
        return plan.folds() >= 2 ? plan.folds() + "-fold" : "validation " + num(plan.validation());
    }

    private static Map<String, Object> trial(Tuning.Trial t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("factors", t.params().factors());
        m.put("lambda", t.params().lambda());
        m.put("tau", t.params().tau());
        m.put("gamma", t.params().gamma());
        m.put("validation_rmse", t.meanValidationRmse());
        m.put("validation_rmse_folds", boxed(t.validationRmse()));
        m.put("train_rmse", t.meanTrainRmse());
        m.put("train_rmse_folds", boxed(t.trainRmse()));
        return m;
    }

    private static List<Double> boxed(double[] v) {
        List<Double> out = new ArrayList<>(v.length);
        for (double x : v) {
            out.add(x);
        }
        return out;
    }

    private static String perFold(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (double x : v) {
            sb.append(sb.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.4f", x));
        }
        return sb.toString();
    }

    private static double nanLast(double x) {
        return Double.isNaN(x) ? Double.POSITIVE_INFINITY : x;
    }

    /** 15.0 as 15, 0.25 as 0.25. */
    static String num(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
    }

    /** CPU time of the whole process (all threads), or NaN where the JVM cannot say. */
    private static double cpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long ns = os.getProcessCpuTime();
            return ns < 0 ? Double.NaN : ns / 1e9;
        }
        return Double.NaN;
    }
}
