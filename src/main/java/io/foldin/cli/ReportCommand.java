package io.foldin.cli;

import io.foldin.data.Catalog;
import io.foldin.data.MoviesReader;
import io.foldin.data.RatingLog;
import io.foldin.data.Split;
import io.foldin.eval.Evaluation;
import io.foldin.eval.ModelKind;
import io.foldin.model.Posterior;
import io.foldin.report.OfflineReport;
import io.foldin.report.ReportData;
import io.foldin.report.ReportPage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code report}: the seeds' analyses of a trained model as one self-contained HTML page. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        exitCodeListHeading = Usage.HEADING, exitCodeList = {Usage.OK, Usage.FAILED, Usage.BAD_USAGE},
        description = {"Train on a ratings file; write the seeds' analyses as one HTML page.",
            "Rating histogram, power laws with fitted slopes, genre feature magnitudes, cold-start neighbours,",
            "polarizing items, a 2-D map of item embeddings, the dummy user, item bias against popularity,",
            "convergence and posterior variances. Inline SVG, nothing loaded from the network."})
public final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--ratings", required = true, paramLabel = "FILE",
            description = "Ratings: MovieLens ratings.csv, ratings.dat (::), u.data (tab), .gz, or a generate .bin.")
    Path ratings;

    @Option(names = "--movies", required = true, paramLabel = "FILE",
            description = "movies.csv / movies.dat: titles and genres.")
    Path movies;

    @Option(names = "--model", defaultValue = "biased", paramLabel = "biased|variational",
            description = "biased: MAP with the genre prior; variational: with posterior covariances (default: ${DEFAULT-VALUE}).")
    String model;

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Option(names = "--iterations", defaultValue = "10", description = "Full sweeps (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--split", paramLabel = "KIND:FRACTION", defaultValue = "random:0.1",
            description = "Held-out ratings of the convergence curve's test RMSE (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the split and the start (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--min-ratings", paramLabel = "N", defaultValue = "" + ReportData.Settings.DEFAULT_MIN_RATINGS,
            description = "Items with fewer ratings are left out of the norms, the map and the rankings (default: ${DEFAULT-VALUE}).")
    int minRatings;

    @Option(names = "--dummy-item", paramLabel = "ID",
            description = "The item the dummy user rates 5 (default: The Lord of the Rings: The Fellowship of the Ring, else the most rated).")
    Integer dummyItem;

    @Option(names = "--cold-genres", paramLabel = "G1,G2", split = ",",
            description = "Genres of the simulated cold-start item (default: Adventure,Animation).")
    List<String> coldGenres;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The HTML file to write.")
    Path out;

    @Mixin
    DataOptions dataOptions = new DataOptions();

    @Override
    public Integer call() throws Exception {
        ModelKind kind = validate();
        ReportData.Settings settings = Usage.check(spec, () -> new ReportData.Settings(minRatings,
                dummyItem == null ? -1 : dummyItem, coldGenres == null ? ReportData.Settings.DEFAULT_COLD_GENRES
                        : coldGenres));
        Progress progress = new Progress("report");
        progress.line("loading %s and %s", ratings, movies);
        Catalog catalog = MoviesReader.read(movies);
        RatingLog all = dataOptions.load(ratings).log();
        if (dummyItem != null && all.items().indexOf(dummyItem) < 0) {
            // checked before training, not after it
            throw new IllegalArgumentException("--dummy-item " + dummyItem + ": no ratings of that item in " + ratings);
        }
        Split.TrainTest tt = Split.parse(split, all, seed);
        progress.line("loaded %,d ratings (%,d users, %,d items), %,d titles", all.size(), all.users().size(),
                all.items().size(), catalog.size());
        Evaluation.Options options = new Evaluation.Options(kind, modelOptions.params(), iterations,
                modelOptions.threads(), seed, modelOptions.solver(), Posterior.Covariance.FULL, kind == ModelKind.VARIATIONAL);
        ReportData data = OfflineReport.build(ratings.getFileName().toString(), all, tt, catalog, options, settings,
                (s, of) -> progress.line("sweep %d/%d: train RMSE %.4f, test RMSE %.4f", s.iteration(), of,
                        s.trainRmse(), s.testRmse()));
        String html = ReportPage.render(data);
        Path abs = out.toAbsolutePath();
        // written beside and renamed, so a reader never sees half a page
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, html, StandardCharsets.UTF_8);
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        progress.line("wrote %s (%,d bytes)", out, html.getBytes(StandardCharsets.UTF_8).length);
        return 0;
    }

    /** Every option checked before anything is loaded; returns the model to train. */
    private ModelKind validate() {
        if (iterations < 1) {
            throw Usage.error(spec, "--iterations must be >= 1, got " + iterations);
        }
        modelOptions.validate(spec);
        Usage.check(spec, () -> Split.check(split));
        if (modelOptions.params().factors() < 1) {
            throw Usage.error(spec, "--factors must be >= 1 for the report's factor analyses, got "
                    + modelOptions.params().factors());
        }
        ModelKind kind = switch (model.toLowerCase(java.util.Locale.ROOT)) {
            case "biased" -> ModelKind.GENRE_PRIOR;
            case "variational" -> ModelKind.VARIATIONAL;
            default -> throw Usage.error(spec, "--model must be biased or variational, got '" + model + "'");
        };
        if (kind == ModelKind.VARIATIONAL && !modelOptions.solver().exact()) {
            throw Usage.error(spec, "--model variational needs --solver cholesky (its covariances come from the factorisation)");
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw Usage.error(spec, "--out " + out + ": no such directory " + parent);
        }
        if (coldGenres != null && coldGenres.stream().anyMatch(String::isBlank)) {
            throw Usage.error(spec, "--cold-genres has an empty genre: " + Arrays.toString(coldGenres.toArray()));
        }
        return kind;
    }
}
