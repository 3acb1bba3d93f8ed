package io.foldin.cli;

import io.foldin.data.Catalog;
import io.foldin.data.MoviesReader;
import io.foldin.data.RatingLog;
import io.foldin.data.Split;
import io.foldin.eval.ModelKind;
import io.foldin.eval.SearchSpace;
import io.foldin.eval.Tuning;
import io.foldin.model.AlsParams;
import io.foldin.model.SweepSolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tune}: hyper-parameter search on the training part, and the chosen setting's test RMSE. */
@Command(name = "tune", mixinStandardHelpOptions = true, sortOptions = false,
        exitCodeListHeading = Usage.HEADING, exitCodeList = {Usage.OK, Usage.FAILED, Usage.BAD_USAGE},
        description = {"Search D, lambda, tau and gamma for the lowest validation RMSE.",
            "",
            "The search runs on the training part, by one validation split or k-fold cross-validation;",
            "the best setting is then fitted on the whole training part and scored once on the test",
            "split, as evaluate would. The test split is never used to choose.",
            "",
            "Each of --factors, --lambda, --tau and --gamma takes a comma-separated list of",
            "numbers and inclusive ranges START:STOP:STEP: --tau 5,10,15,20,30 is --tau 5:30:5;",
            "--factors 2,5:50:5 is 2, 5, 10, ..., 50. Only tau/lambda and gamma/lambda move the",
            "fit, so lambda can stay 1.",
            ""})
public final class TuneCommand implements Callable<Integer> {
    /** Without --folds or --validation: one validation split of 10% of the training part (see --validation). */
    static final double DEFAULT_VALIDATION = 0.1;

    @Spec
    CommandSpec spec;

    @Option(names = "--ratings", required = true, paramLabel = "FILE",
            description = "Ratings: MovieLens ratings.csv, ratings.dat (::), u.data (tab), .gz, or a generate .bin.")
    Path ratings;

    @Option(names = "--movies", paramLabel = "FILE", description = "movies.csv / movies.dat with genres (genre-prior).")
    Path movies;

    @Option(names = "--model", defaultValue = "biased", converter = EvaluateCommand.ModelConverter.class,
            description = "biased, bias-only or genre-prior (needs --movies) (default: ${DEFAULT-VALUE}).")
    ModelKind model;

    @Option(names = "--factors", paramLabel = "VALUES", defaultValue = "5,10,20,50",
            description = "Latent dimensions D to try (default: ${DEFAULT-VALUE}).")
    String factors;

    @Option(names = "--lambda", paramLabel = "VALUES", defaultValue = "1",
            description = "Noise precisions to try (default: ${DEFAULT-VALUE}).")
    String lambda;

    @Option(names = "--tau", paramLabel = "VALUES", defaultValue = "5,10,15,20,30",
            description = "Factor prior precisions to try, > 0 (default: ${DEFAULT-VALUE}).")
    String tau;

    @Option(names = "--gamma", paramLabel = "VALUES", defaultValue = "1,3,10",
            description = "Bias prior precisions to try, > 0 (default: ${DEFAULT-VALUE}).")
    String gamma;

    @Option(names = "--search", defaultValue = "grid", paramLabel = "grid|random",
            description = "grid: every combination; random: --trials of them drawn by --seed (default: ${DEFAULT-VALUE}).")
    String search;

    @Option(names = "--trials", paramLabel = "N", description = "Settings drawn by --search random.")
    Integer trials;

    @ArgGroup(exclusive = true)
    Scheme scheme = new Scheme();

    static final class Scheme {
        @Option(names = "--folds", paramLabel = "K",
                description = "k-fold cross-validation over the training part, instead of --validation.")
        Integer folds;

        @Option(names = "--validation", paramLabel = "FRACTION",
                description = {"One validation split of this fraction of the training part (default: 0.1). Its fits",
                    "train on 90% of the training part, as close as k-fold gets only at K = 10: tau is an absolute",
                    "precision, and on less data its optimum moves (3-fold picks tau 10 where 15 is best)."})
        Double validation;
    }

    @Option(names = "--split", paramLabel = "KIND:FRACTION", defaultValue = "random:0.1",
            description = "The test split, as evaluate: random:FRACTION or time:FRACTION (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--seed", defaultValue = "42",
            description = "Seed of the split, the folds, the initial factors and random search (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--iterations", defaultValue = "15", description = "Full ALS sweeps per fit (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--solver", defaultValue = "cholesky",
            description = "cholesky, cg or cg:STEPS, as evaluate (default: ${DEFAULT-VALUE}).")
    String solver;

    @Option(names = "--threads", description = "Fits run side by side, one thread each (default: all cores).")
    Integer threads;

    @Option(names = "--curve", paramLabel = "factors",
            description = "factors: train and validation RMSE by D (the best setting per D); always on with several D.")
    String curve;

    @Option(names = "--write-config", paramLabel = "FILE",
            description = "Write the chosen factors, lambda, tau and gamma as a properties file for serve --config.")
    Path writeConfig;

    @Option(names = "--json", description = "Print one JSON object: the trials, the best, its test RMSE, the seconds.")
    boolean json;

    @Mixin
    DataOptions dataOptions = new DataOptions();

    @Override
    public Integer call() throws Exception {
        Tuning.Plan checked = validate(null, 0);
        long t0 = System.nanoTime();
        Progress progress = new Progress("tune");
        progress.line("loading %s", ratings);
        RatingLog all = dataOptions.load(ratings).log();
        Split.TrainTest tt = Split.parse(split, all, seed);
        progress.line("loaded %,d ratings (%,d users, %,d items); train %,d, test %,d; %d settings x %s",
                all.size(), all.users().size(), all.items().size(), tt.train().size(), tt.test().size(),
                checked.settings().size(), checked.folds() >= 2 ? checked.folds() + " folds" : "1 validation split");
        Tuning.Plan plan = checked;
        if (movies != null) {
            Catalog catalog = MoviesReader.read(movies);
            plan = validate(catalog.genresByIndex(all.items()), catalog.genreNames().size());
        }
        ProgressBar bar = new ProgressBar("tune", "fitting", "fits", System.err, ProgressBar.stderrIsTerminal());
        long searchStart = System.nanoTime();
        Tuning.Outcome outcome = Tuning.tuneAndTest(tt, plan,
                (done, total) -> bar.progress(done, total, 0, System.nanoTime() - searchStart));
        bar.finish();
        TuneReport report = new TuneReport(this, plan, outcome, (System.nanoTime() - t0) / 1e9);
        if (writeConfig != null) {
            report.writeConfig(writeConfig);
            progress.line("wrote %s", writeConfig);
        }
        System.out.print(json ? Json.write(report.json()) + System.lineSeparator() : report.table());
        return 0;
    }

    /** Every option is checked here, before the ratings are loaded: a mistake costs no waiting. */
    private Tuning.Plan validate(int[][] genres, int numGenres) {
        if (iterations < 1) {
            throw Usage.error(spec, "--iterations must be >= 1, got " + iterations);
        }
        Usage.check(spec, () -> Split.check(split));
        SearchSpace space = Usage.check(spec, () -> SearchSpace.parse(factors, lambda, tau, gamma));
        if (!search.equals("grid") && !search.equals("random")) {
            throw Usage.error(spec, "--search must be grid or random, got '" + search + "'");
        }
        Usage.requires(spec, "--trials", search.equals("random"), "--search random");
        if (search.equals("random") && trials == null) {
            throw Usage.error(spec, "--search random needs --trials N");
        }
        if (curve != null && !curve.equals("factors")) {
            throw Usage.error(spec, "--curve must be factors, got '" + curve + "'");
        }
        if (model == ModelKind.GENRE_PRIOR && movies == null) {
            throw Usage.error(spec, "--model genre-prior needs --movies FILE (the genres of the items)");
        }
        if (model != ModelKind.GENRE_PRIOR && movies != null) {
            throw Usage.error(spec, "--movies is used only by --model genre-prior, not by --model " + model);
        }
        if (model.implicit()) {
            throw Usage.error(spec, "tune scores RMSE; --model " + model + " is ranked: choose its settings with "
                    + "evaluate --model " + model + " --validation FRACTION");
        }
        if (model == ModelKind.VARIATIONAL) {
            throw Usage.error(spec, "--model variational learns λ, τ, γ itself (variational EM): run evaluate --model "
                    + "variational, and tune the biased model here");
        }
        if (model == ModelKind.BIAS_ONLY && Usage.given(spec, "--factors")) {
            throw Usage.error(spec, "--factors has no effect with --model bias-only (D = 0)");
        }
        if (writeConfig != null && model != ModelKind.BIASED) {
            throw Usage.error(spec, "--write-config writes settings for serve, whose model is biased; not for --model "
                    + model);
        }
        if (writeConfig != null && (Files.isDirectory(writeConfig) || writeConfig.toAbsolutePath().getParent() == null
                || !Files.isDirectory(writeConfig.toAbsolutePath().getParent()))) {
            throw Usage.error(spec, "--write-config " + writeConfig
                    + (Files.isDirectory(writeConfig) ? " is a directory" : ": its directory does not exist"));
        }
        SweepSolver sweepSolver = Usage.check(spec, () -> SweepSolver.parse(solver));
        int poolThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        List<AlsParams> settings = Usage.check(spec, () -> search.equals("grid") ? space.grid()
                : space.random(trials, seed));
        if (model == ModelKind.BIAS_ONLY) {
            settings = settings.stream().map(p -> p.withFactors(0)).distinct().toList();
        }
        int k = scheme.folds == null ? 0 : scheme.folds;
        double v = scheme.folds != null ? 0 : scheme.validation == null ? DEFAULT_VALIDATION : scheme.validation;
        List<AlsParams> s = settings;
        return Usage.check(spec, () -> new Tuning.Plan(model, s, k, v, iterations, seed, sweepSolver, poolThreads,
                genres, numGenres));
    }

    /** Whether to report train and validation RMSE by D. */
    boolean curveWanted(Tuning.Plan plan) {
        return curve != null || plan.settings().stream().map(AlsParams::factors).distinct().count() > 1;
    }
}
