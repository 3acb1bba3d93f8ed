package io.foldin.cli;

import io.foldin.eval.ImplicitPrequential;
import io.foldin.eval.Prequential;
import io.foldin.model.ImplicitParams;
import io.foldin.stream.prequential.ImplicitKafkaPrequential;
import io.foldin.stream.prequential.KafkaPrequential;
import io.foldin.stream.topology.StreamConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code prequential}: predict each event before folding it in, after an ALS warm-up. */
@Command(name = "prequential", mixinStandardHelpOptions = true, sortOptions = false,
        exitCodeListHeading = Usage.HEADING, exitCodeList = {Usage.OK, Usage.FAILED, Usage.BAD_USAGE},
        description = {"Benchmark online learning: predict each rating before folding it in.",
            "Sorts the ratings by time, trains ALS on the first --warmup fraction, then predicts every later",
            "event before folding it in. Reports the RMSE of fold-in, of the static warm-up model, and of",
            "fold-in with a few full sweeps every --sweep-every events."})
public final class PrequentialCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--ratings", required = true, paramLabel = "FILE", description = "Ratings file (any format evaluate reads).")
    Path ratings;

    @Option(names = "--warmup", defaultValue = "0.8", description = "Fraction of ratings (by time) for the warm-up (default: ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--iterations", defaultValue = "15", description = "ALS sweeps of the warm-up (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--sweep-every", defaultValue = "5000", description = "Events between full sweeps of the sweeping learner, 0 = never (default: ${DEFAULT-VALUE}).")
    int sweepEvery;

    @Option(names = "--sweep-iterations", defaultValue = "2", description = "ALS sweeps each time (default: ${DEFAULT-VALUE}).")
    int sweepIterations;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the initial factors (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Mixin
    DataOptions dataOptions = new DataOptions();

    @Option(names = "--through-kafka", description = {"Run the events through the real topology on an embedded broker",
        "and read its predictions back from topic predictions (a second run for --sweep-every)."})
    boolean throughKafka;

    @Option(names = "--rate", defaultValue = "2000", paramLabel = "EVENTS_PER_S",
            description = {"With --through-kafka: pace of the events after the warm-up, 0 = unpaced (default: ${DEFAULT-VALUE}).",
                "Unpaced, the user side runs ahead of the item side and predicts from stale item factors."})
    double rate;

    @Option(names = "--guarantee", defaultValue = StreamConfig.AT_LEAST_ONCE,
            description = "With --through-kafka: at_least_once or exactly_once_v2 (default: ${DEFAULT-VALUE}).")
    String guarantee;

    @Option(names = "--json", description = "Print one JSON object with the figures.")
    boolean json;

    @Option(names = "--model", defaultValue = "biased", paramLabel = "biased|ials",
            description = {"biased: RMSE of each rating (default); ials: implicit ALS on the ratings >= --implicit-threshold,",
                "hit rate@10 of each new interaction before it is folded in, fold-in against static."})
    String model;

    @Option(names = "--implicit-threshold", paramLabel = "T", description = "ials: ratings >= T are interactions (default: 4).")
    Double implicitThreshold;

    @Option(names = "--alpha", description = "ials: confidence c = 1 + α·w (default: ImplicitParams.DEFAULT, 10).")
    Double alpha;

    @Option(names = "--regularization", description = "ials: λ (default: ImplicitParams.DEFAULT, 60).")
    Double regularization;

    @Override
    public Integer call() throws Exception {
        if ("ials".equals(model)) {
            return implicit();
        }
        Prequential.Options o = validate();
        Progress progress = new Progress("prequential");
        progress.line("loading %s", ratings);
        var log = dataOptions.load(ratings).log();
        progress.line("loaded %,d ratings; warm-up on the first %.0f%% by time", log.size(), warmup * 100);
        Prequential.Listener listener = (done, of, fold, fixed) ->
                progress.line("%,d/%,d events: fold-in RMSE %.4f, static %.4f", done, of, fold, fixed);
        Prequential.Result r;
        double eventsPerSecond = Double.NaN;
        if (throughKafka) {
            KafkaPrequential.Result k = KafkaPrequential.run(log, new KafkaPrequential.Options(o, rate, guarantee,
                    Path.of(System.getProperty("java.io.tmpdir"))), listener);
            r = k.figures();
            eventsPerSecond = k.eventsPerSecond();
        } else {
            r = Prequential.run(log, o, listener);
        }
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("command", "prequential");
            out.put("ratings", ratings.toString());
            out.put("warmup", warmup);
            out.put("factors", o.params().factors());
            out.put("lambda", o.params().lambda());
            out.put("tau", o.params().tau());
            out.put("gamma", o.params().gamma());
            out.put("iterations", iterations);
            out.put("sweep_every", sweepEvery);
            out.put("sweep_iterations", sweepIterations);
            out.put("warmup_ratings", r.warmupRatings());
            out.put("streamed_ratings", r.streamedRatings());
            out.put("rerates", r.rerates());
            out.put("rmse_fold_in", r.rmseFoldIn());
            out.put("rmse_static", r.rmseStatic());
            out.put("rmse_with_sweeps", r.rmseWithSweeps());
            out.put("sweeps", r.sweeps());
            out.put("warmup_seconds", r.warmupSeconds());
            out.put("fold_in_seconds", r.foldInSeconds());
            out.put("fold_in_events_per_second", r.foldInEventsPerSecond());
            out.put("sweep_seconds", r.sweepSeconds());
            out.put("through_kafka", throughKafka);
            if (throughKafka) {
                out.put("guarantee", guarantee);
                out.put("rate", rate);
                out.put("events_per_second", eventsPerSecond);
            }
            System.out.println(Json.write(out));
        } else {
            System.out.printf(Locale.ROOT, "fold-in RMSE %.4f, static %.4f, fold-in + %d sweeps %.4f over %,d events "
                            + "(fold-in %.0f events/s)%n", r.rmseFoldIn(), r.rmseStatic(), r.sweeps(), r.rmseWithSweeps(),
                    r.streamedRatings(), r.foldInEventsPerSecond());
            if (throughKafka) {
                System.out.printf(Locale.ROOT, "through Kafka (%s, rate %s): %.0f events/s end to end%n", guarantee,
                        rate == 0 ? "unpaced" : String.format(Locale.ROOT, "%.0f/s", rate), eventsPerSecond);
            }
        }
        return 0;
    }

    /** {@code --model ials}: hit rate@10 of fold-in and of the static warm-up model. */
    private int implicit() throws Exception {
        ImplicitPrequential.Options o = validateImplicit();
        Progress progress = new Progress("prequential");
        var log = dataOptions.load(ratings).log();
        progress.line("loaded %,d ratings; interactions are ratings >= %s; warm-up on the first %.0f%% by time",
                log.size(), o.threshold(), warmup * 100);
        ImplicitPrequential.Listener listener = (done, of, fold, fixed) ->
                progress.line("%,d/%,d interactions: fold-in hit rate@10 %.4f, static %.4f", done, of, fold, fixed);
        if (throughKafka) {
            return implicitThroughKafka(log, o, listener);
        }
        ImplicitPrequential.Result r = ImplicitPrequential.run(log, o, listener);
        if (json) {
            Map<String, Object> out = implicitJson(o, r.warmupInteractions(), r.streamedInteractions(), r.scored(),
                    r.hitRateFoldIn());
            out.put("hit_rate_at_10_static", r.hitRateStatic());
            out.put("warmup_seconds", r.warmupSeconds());
            out.put("fold_in_seconds", r.foldInSeconds());
            out.put("through_kafka", false);
            System.out.println(Json.write(out));
        } else {
            System.out.printf(Locale.ROOT, "ials: hit rate@10 fold-in %.4f, static %.4f over %,d new interactions "
                    + "(%,d streamed)%n", r.hitRateFoldIn(), r.hitRateStatic(), r.scored(), r.streamedInteractions());
        }
        return 0;
    }

    /** The fields both implicit runs print first (offline and through Kafka), in one order. */
    private Map<String, Object> implicitJson(ImplicitPrequential.Options o, int warmupInteractions,
                                             int streamedInteractions, int scored, double hitRateFoldIn) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("command", "prequential");
        out.put("model", "ials");
        out.put("ratings", ratings.toString());
        out.put("implicit_threshold", o.threshold());
        out.put("warmup", warmup);
        out.put("factors", o.params().factors());
        out.put("alpha", o.params().alpha());
        out.put("regularization", o.params().lambda());
        out.put("iterations", iterations);
        out.put("warmup_interactions", warmupInteractions);
        out.put("streamed_interactions", streamedInteractions);
        out.put("scored_interactions", scored);
        out.put("hit_rate_at_10_fold_in", hitRateFoldIn);
        return out;
    }

    /**
     * {@code --model ials --through-kafka}: the live implicit model's hit rate@10, each new pair ranked by the stream
     * before it is folded in ({@link ImplicitKafkaPrequential}); no static learner there.
     */
    private int implicitThroughKafka(io.foldin.data.RatingLog log, ImplicitPrequential.Options o,
                                     ImplicitPrequential.Listener listener) throws Exception {
        ImplicitKafkaPrequential.Result r = ImplicitKafkaPrequential.run(log, new ImplicitKafkaPrequential.Options(o,
                rate, Path.of(System.getProperty("java.io.tmpdir"))), listener);
        if (json) {
            Map<String, Object> out = implicitJson(o, r.warmupInteractions(), r.streamedInteractions(), r.scored(),
                    r.hitRateFoldIn());
            out.put("warmup_seconds", r.warmupSeconds());
            out.put("through_kafka", true);
            out.put("rate", rate);
            out.put("events_per_second", r.eventsPerSecond());
            System.out.println(Json.write(out));
        } else {
            System.out.printf(Locale.ROOT, "ials through Kafka: hit rate@10 fold-in %.4f over %,d new interactions "
                            + "(%,d streamed, rate %s, %.0f events/s end to end)%n", r.hitRateFoldIn(), r.scored(),
                    r.streamedInteractions(), rate == 0 ? "unpaced" : String.format(Locale.ROOT, "%.0f/s", rate),
                    r.eventsPerSecond());
        }
        return 0;
    }

    private ImplicitPrequential.Options validateImplicit() {
        if (Usage.given(spec, "--sweep-every") || Usage.given(spec, "--sweep-iterations")
                || Usage.given(spec, "--guarantee")) {
            throw Usage.error(spec, "--model ials has no sweeping learner or --guarantee choice yet: "
                    + "drop --sweep-every, --sweep-iterations and --guarantee");
        }
        Usage.requires(spec, "--rate", throughKafka, "--through-kafka");
        if (!(rate >= 0 && Double.isFinite(rate))) {
            throw Usage.error(spec, "--rate must be >= 0 events/s (0: unpaced), got " + rate);
        }
        if (!(warmup > 0 && warmup < 1)) {
            throw Usage.error(spec, "--warmup must be a fraction in (0, 1), got " + warmup);
        }
        if (iterations < 1) {
            throw Usage.error(spec, "--iterations must be >= 1, got " + iterations);
        }
        double threshold = implicitThreshold == null ? ImplicitOptions.DEFAULT_THRESHOLD : implicitThreshold;
        if (!Double.isFinite(threshold)) {
            throw Usage.error(spec, "--implicit-threshold must be a number, got " + threshold);
        }
        ImplicitParams d = ImplicitParams.DEFAULT;
        return Usage.check(spec, () -> new ImplicitPrequential.Options(new ImplicitParams(
                Usage.given(spec, "--factors") ? modelOptions.factors : d.factors(), alpha == null ? d.alpha() : alpha,
                regularization == null ? d.lambda() : regularization), threshold, warmup, iterations,
                modelOptions.threads(), seed));
    }

    /** Every option is checked before the ratings are loaded; the Kafka-only ones are refused without Kafka. */
    private Prequential.Options validate() {
        if (!(warmup > 0 && warmup < 1)) {
            throw Usage.error(spec, "--warmup must be a fraction in (0, 1), got " + warmup);
        }
        if (iterations < 1) {
            throw Usage.error(spec, "--iterations must be >= 1, got " + iterations);
        }
        if (sweepIterations < 1) {
            throw Usage.error(spec, "--sweep-iterations must be >= 1, got " + sweepIterations);
        }
        if (sweepEvery < 0) {
            throw Usage.error(spec, "--sweep-every must be >= 0 (0: never), got " + sweepEvery);
        }
        if (!"biased".equals(model)) {
            throw Usage.error(spec, "--model must be biased or ials, got '" + model + "'");
        }
        if (implicitThreshold != null || alpha != null || regularization != null) {
            throw Usage.error(spec, "--implicit-threshold, --alpha and --regularization are used only by --model ials");
        }
        modelOptions.validate(spec);
        Usage.requires(spec, "--rate", throughKafka, "--through-kafka");
        Usage.requires(spec, "--guarantee", throughKafka, "--through-kafka");
        if (!(rate >= 0 && Double.isFinite(rate))) {
            throw Usage.error(spec, "--rate must be >= 0 events/s (0: unpaced), got " + rate);
        }
        if (!StreamConfig.AT_LEAST_ONCE.equals(guarantee) && !StreamConfig.EXACTLY_ONCE_V2.equals(guarantee)) {
            throw Usage.error(spec, "--guarantee must be " + StreamConfig.AT_LEAST_ONCE + " or "
                    + StreamConfig.EXACTLY_ONCE_V2 + ", got '" + guarantee + "'");
        }
        return Usage.check(spec, () -> new Prequential.Options(modelOptions.params(), warmup, iterations, sweepEvery,
                sweepIterations, modelOptions.threads(), seed, modelOptions.solver()));
    }
}
