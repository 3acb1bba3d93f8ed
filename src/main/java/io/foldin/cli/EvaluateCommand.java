package io.foldin.cli;

import io.foldin.data.Catalog;
import io.foldin.data.RatingLog;
import io.foldin.data.Split;
import io.foldin.eval.Evaluation;
import io.foldin.eval.ModelKind;
import io.foldin.model.AlsParams;
import io.foldin.model.Posterior;
import io.foldin.model.RowGram;
import io.foldin.model.SweepSolver;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code evaluate}: offline training and test RMSE on rating files. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        exitCodeListHeading = Usage.HEADING, exitCodeList = {Usage.OK, Usage.FAILED, Usage.BAD_USAGE},
        description = {"Train a model by ALS on a ratings file and report its RMSE.",
            "Train and test RMSE are reported after every sweep. Test RMSE scores test ratings whose user and item appear in training; cold-start ratings",
            "(items without training ratings) are reported separately as test_rmse_all / _cold_items."})
public final class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--ratings", required = true, paramLabel = "FILE",
            description = "Ratings: MovieLens ratings.csv, ratings.dat (::), u.data (tab), .gz, or a generate .bin.")
    Path ratings;

    @ArgGroup(exclusive = true)
    TestSet testSet = new TestSet();

    static final class TestSet {
        @Option(names = "--test", paramLabel = "FILE", description = "A separate test ratings file.")
        Path file;

        @Option(names = "--split", paramLabel = "KIND:FRACTION", defaultValue = "random:0.1",
                description = "random:FRACTION or time:FRACTION of the ratings held out (default: ${DEFAULT-VALUE}).")
        String split = "random:0.1";
    }

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the split and the initial factors (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--model", defaultValue = "biased", converter = ModelConverter.class,
            description = "biased, bias-only, genre-prior (needs --movies), variational; implicit: popularity, bpr, ials (default: ${DEFAULT-VALUE}).")
    ModelKind model;

    @Option(names = "--covariance", paramLabel = "full|diagonal",
            description = "variational: each entity's posterior covariance, full (A⁻¹) or diagonal (mean-field) (default: full).")
    String covariance;

    @Option(names = "--fixed-precisions",
            description = "variational: keep λ, τ, γ as given; by default they are learned by variational EM after each sweep (the options give the start).")
    boolean fixedPrecisions;

    @Option(names = "--movies", paramLabel = "FILE", description = "movies.csv / movies.dat with genres (genre-prior).")
    Path movies;

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Option(names = "--iterations", defaultValue = "15", description = "Full ALS sweeps (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Mixin
    DataOptions dataOptions = new DataOptions();

    @Mixin
    ImplicitOptions implicitOptions = new ImplicitOptions();

    @Option(names = "--json", description = "Print one JSON object with the parameters, the curve and counts.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        validate();
        long t0 = System.nanoTime();
        AlsParams params = modelOptions.params();
        Progress progress = new Progress("evaluate");
        progress.line("loading %s", ratings);
        DataOptions.Loaded loaded = dataOptions.load(ratings);
        RatingLog all = loaded.log();
        Split.TrainTest tt;
        String splitLabel;
        if (testSet.file != null) {
            RatingLog test = new RatingLog(all.users(), all.items(), 1 << 16);
            dataOptions.readInto(testSet.file, test);
            tt = new Split.TrainTest(all, test);
            splitLabel = "file:" + testSet.file;
        } else if (model.implicit()) {
            tt = null; // ImplicitRun splits after dropping the ratings below the threshold
            splitLabel = testSet.split;
        } else {
            tt = Split.parse(testSet.split, all, seed);
            splitLabel = testSet.split;
        }
        double loadSeconds = (System.nanoTime() - t0) / 1e9;
        if (model.implicit()) {
            return ImplicitRun.run(model, all, tt == null ? null : tt.test(), splitLabel, seed, implicitOptions,
                    implicitOptions.bpr(factorsGiven()), implicitOptions.ials(factorsGiven()), modelOptions.threads(),
                    json, ratings.toString(), progress);
        }
        progress.line("loaded %,d ratings (%,d users, %,d items) in %.1f s; train %,d, test %,d",
                all.size(), all.users().size(), all.items().size(), loadSeconds, tt.train().size(), tt.test().size());

        int[][] genres = null;
        int numGenres = 0;
        if (movies != null) {
            Catalog catalog = io.foldin.data.MoviesReader.read(movies);
            genres = catalog.genresByIndex(all.items());
            numGenres = catalog.genreNames().size();
        }
        Evaluation.Options options = new Evaluation.Options(model, params, iterations, modelOptions.threads(), seed,
                modelOptions.solver(), covariance(), !fixedPrecisions);
        String kernel = RowGram.create(options.effectiveParams().dim()).name();
        progress.line("Gram kernel: %s%s", kernel, kernel.equals("vector") ? ""
                : " (java --add-modules jdk.incubator.vector ... selects the SIMD one)");
        Evaluation.Result r = Evaluation.run(tt.train(), tt.test(), genres, numGenres, options,
                (s, of) -> progress.line("sweep %d/%d: train RMSE %.4f, test RMSE %.4f (all %.4f), %.2f s%s",
                        s.iteration(), of, s.trainRmse(), s.testRmse(), s.testRmseAll(), s.seconds(),
                        Double.isNaN(s.elbo()) ? "" : String.format(Locale.ROOT, ", ELBO %.2f", s.elbo())));
        double total = (System.nanoTime() - t0) / 1e9;
        List<Map<String, Object>> ranking = implicitOptions.biasWeights == null ? null
                : ImplicitRun.biasWeights(r.model(), tt.train(), tt.test(), implicitOptions, json);
        if (json) {
            Map<String, Object> out = report(r, params, splitLabel, loadSeconds, total);
            if (ranking != null) {
                out.put("ranking_by_bias_weight", ranking);
            }
            System.out.println(Json.write(out));
        } else {
            System.out.printf(Locale.ROOT, "%s D=%d: test RMSE %.4f (all test ratings %.4f; cold items %.4f over %d; "
                            + "items with <=%d train ratings %.4f over %d), train RMSE %.4f, median sweep %.3f s%n",
                    model, options.effectiveParams().factors(), r.last().testRmse(), r.last().testRmseAll(),
                    r.testRmseColdItems(), r.coldTestRatings(), Evaluation.RARE_MAX_RATINGS, r.testRmseRareItems(),
                    r.rareTestRatings(), r.last().trainRmse(), medianSweepSeconds(r));
        }
        return 0;
    }

    /** Every option is checked here, before the ratings are loaded: a mistake costs no waiting. */
    private void validate() {
        if (iterations < 1) {
            throw Usage.error(spec, "--iterations must be >= 1, got " + iterations);
        }
        modelOptions.validate(spec);
        implicitOptions.validate(spec, model, factorsGiven());
        if (testSet.file == null) {
            Usage.check(spec, () -> Split.check(testSet.split));
        }
        if (model == ModelKind.GENRE_PRIOR && movies == null) {
            throw Usage.error(spec, "--model genre-prior needs --movies FILE (the genres of the items)");
        }
        if (model != ModelKind.GENRE_PRIOR && movies != null) {
            throw Usage.error(spec, "--movies is used only by --model genre-prior, not by --model " + model);
        }
        if (model != ModelKind.VARIATIONAL && (covariance != null || fixedPrecisions)) {
            throw Usage.error(spec, "--covariance and --fixed-precisions are used only by --model variational");
        }
        if (model == ModelKind.VARIATIONAL && !modelOptions.solver().exact()) {
            throw Usage.error(spec, "--model variational needs --solver cholesky (its covariances come from the factorisation)");
        }
        Usage.check(spec, this::covariance);
    }

    /** --factors when given: the implicit models have their own default ({@code BprParams.DEFAULT}). */
    private Integer factorsGiven() {
        return Usage.given(spec, "--factors") ? modelOptions.factors : null;
    }

    Posterior.Covariance covariance() {
        return covariance == null ? Posterior.Covariance.FULL : Posterior.Covariance.parse(covariance);
    }

    private Map<String, Object> report(Evaluation.Result r, AlsParams params, String split, double loadSeconds,
                                       double total) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("model", model.label());
        p.put("factors", r.options().effectiveParams().factors());
        p.put("lambda", params.lambda());
        p.put("tau", params.tau());
        p.put("gamma", params.gamma());
        p.put("iterations", iterations);
        p.put("split", split);
        p.put("seed", seed);
        p.put("solver", modelOptions.solver().toString());
        p.put("threads", modelOptions.threads());
        p.put("gram_kernel", RowGram.create(r.options().effectiveParams().dim()).name());
        p.put("ratings", ratings.toString());
        p.put("movies", movies == null ? null : movies.toString());
        if (model == ModelKind.VARIATIONAL) {
            p.put("covariance", covariance().label());
            p.put("learn_precisions", !fixedPrecisions);
        }

        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("users", r.users());
        counts.put("items", r.items());
        counts.put("train_ratings", r.trainRatings());
        counts.put("test_ratings", r.testRatings());
        counts.put("known_test_ratings", r.knownTestRatings());
        counts.put("cold_test_items", r.coldTestItems());
        counts.put("cold_test_ratings", r.coldTestRatings());
        counts.put("rare_test_ratings", r.rareTestRatings());

        List<Map<String, Object>> curve = new ArrayList<>();
        for (Evaluation.Sweep s : r.curve()) {
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("iteration", s.iteration());
            point.put("train_rmse", s.trainRmse());
            point.put("test_rmse", s.testRmse());
            point.put("test_rmse_all", s.testRmseAll());
            point.put("seconds", s.seconds());
            if (!Double.isNaN(s.elbo())) {
                point.put("elbo", s.elbo());
            }
            curve.add(point);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("command", "evaluate");
        out.put("params", p);
        out.put("counts", counts);
        out.put("mu", r.mu());
        out.put("train_rmse", r.last().trainRmse());
        out.put("test_rmse", r.last().testRmse());
        out.put("test_rmse_all", r.last().testRmseAll());
        out.put("test_rmse_cold_items", r.testRmseColdItems());
        out.put("test_rmse_rare_items", r.testRmseRareItems());
        out.put("rare_item_max_train_ratings", Evaluation.RARE_MAX_RATINGS);
        out.put("seconds_per_sweep", r.curve().stream().map(Evaluation.Sweep::seconds).toList());
        out.put("median_sweep_seconds", medianSweepSeconds(r));
        out.put("load_seconds", loadSeconds);
        out.put("total_seconds", total);
        out.put("peak_heap_bytes", peakHeapBytes());
        out.put("curve", curve);
        if (r.variational() != null) {
            out.put("elbo", r.curve().stream().map(Evaluation.Sweep::elbo).toList());
            AlsParams learned = r.variational().params();
            Map<String, Object> precisions = new LinkedHashMap<>();
            precisions.put("lambda", learned.lambda());
            precisions.put("tau", learned.tau());
            precisions.put("gamma", learned.gamma());
            out.put("precisions", precisions);
            List<Map<String, Object>> buckets = new ArrayList<>();
            for (Evaluation.VarianceBucket b : r.variances()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("side", b.side());
                m.put("min_ratings", b.minRatings());
                m.put("max_ratings", b.maxRatings() == Integer.MAX_VALUE ? null : b.maxRatings());
                m.put("entities", b.entities());
                m.put("mean_factor_variance", b.meanFactorVariance());
                m.put("mean_bias_variance", b.meanBiasVariance());
                m.put("test_ratings", b.testRatings());
                m.put("mean_prediction_variance", Double.isNaN(b.meanPredictionVariance()) ? null
                        : b.meanPredictionVariance());
                buckets.add(m);
            }
            out.put("variance_by_rating_count", buckets);
        }
        return out;
    }

    static double medianSweepSeconds(Evaluation.Result r) {
        double[] s = r.curve().stream().mapToDouble(Evaluation.Sweep::seconds).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** Sum of the peak usage of the heap pools since start (an upper bound on the true peak heap). */
    static long peakHeapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    static final class ModelConverter implements picocli.CommandLine.ITypeConverter<ModelKind> {
        @Override
        public ModelKind convert(String value) {
            try {
                return ModelKind.parse(value);
            } catch (IllegalArgumentException e) {
                // picocli would otherwise quote the exception's class name
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
