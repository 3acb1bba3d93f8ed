package io.foldin.cli;

import io.foldin.data.twin.Twin;
import io.foldin.data.twin.TwinConfig;
import io.foldin.data.twin.TwinGenerator;
import io.foldin.data.twin.TwinWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code generate}: writes the synthetic twin of MovieLens 32M; the work is in {@link TwinGenerator}. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        exitCodeListHeading = Usage.HEADING, exitCodeList = {Usage.OK, Usage.FAILED, Usage.BAD_USAGE},
        description = {"Write a synthetic dataset shaped like MovieLens 32M.",
            "The files are ratings.csv, movies.csv and ratings.bin (see --format).",
            "Scale 1.0: 200,948 users, 84,432 items, 32,000,204 ratings.",
            "Users and ratings scale with --scale, items with its square root, so a",
            "smaller twin keeps the long tail: 38%% of items have at most 3 ratings",
            "at 0.01 (2,009 users, 8,443 items, 320,002 ratings), 37%% at 1.0.",
            "--items N sets the catalogue instead (e.g. 1000000 for serving at scale):",
            "the same users and ratings, the popularity law spread over N items.",
            "--json adds item_popularity_slope and user_activity_slope: the log-log",
            "slope of ratings per item (per user) against rank, over ranks 20%%-50%%."})
public final class GenerateCommand implements Callable<Integer> {
    /** Which rating files to write; movies.csv is always written. */
    enum Format { csv, bin, both }

    @Spec
    CommandSpec spec;

    @Option(names = "--scale", defaultValue = "1.0",
            description = "Size relative to ml-32m, at least " + TwinConfig.MIN_SCALE + " (default: ${DEFAULT-VALUE}).")
    double scale;

    @Option(names = "--seed", defaultValue = "42",
            description = "Random seed; same seed, same bytes (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Output directory (created if missing).")
    Path out;

    @Option(names = "--format", defaultValue = "both", description = "csv, bin or both (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--factors", defaultValue = "" + TwinConfig.DEFAULT_FACTORS,
            description = "Rank of the hidden model (default: ${DEFAULT-VALUE}).")
    int factors;

    @Option(names = "--items", paramLabel = "N",
            description = "Items in the catalogue instead of the scale's (round(84,432 * sqrt(scale))).")
    Integer items;

    @Option(names = "--json", description = "Print one JSON object with the figures on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        TwinConfig cfg;
        try {
            cfg = TwinConfig.of(scale, seed, factors);
            if (items != null) {
                cfg = cfg.withItems(items);
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        if (java.nio.file.Files.exists(out) && !java.nio.file.Files.isDirectory(out)) {
            throw Usage.error(spec, "--out " + out + " is a file; it must be a directory (created if missing)");
        }
        long t0 = System.nanoTime();
        // a line per phase on stderr, only where a run takes long enough to wonder
        boolean chatty = cfg.ratings() >= 1_000_000;
        TwinGenerator.Progress progress = chatty
                ? what -> System.err.printf(Locale.ROOT, "generate: %s (%.1f s)%n", what,
                        (System.nanoTime() - t0) / 1e9)
                : TwinGenerator.Progress.NONE;
        Twin twin = TwinGenerator.generate(cfg, progress);
        List<Path> files = TwinWriter.write(twin, out, format != Format.bin, format != Format.csv);
        progress.phase("written to " + out);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Twin.Stats s = twin.stats();
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("scale", scale);
            o.put("seed", seed);
            o.put("factors", factors);
            o.put("users", twin.users());
            o.put("items", twin.items());
            o.put("ratings", twin.size());
            o.put("seconds", seconds);
            o.put("rating_mean", s.ratingMean());
            o.put("max_user_ratings", s.maxUserRatings());
            o.put("top_item_ratings", s.topItemRatings());
            o.put("items_with_at_most_3_ratings", s.itemsWithAtMost3Ratings());
            o.put("item_popularity_slope", s.itemPopularitySlope());
            o.put("user_activity_slope", s.userActivitySlope());
            o.put("files", files.stream().map(Path::toString).toList());
            System.out.println(Json.write(o));
        } else {
            System.out.printf(Locale.ROOT, "%,d users, %,d items, %,d ratings (mean %.3f) in %.1f s: %s%n",
                    twin.users(), twin.items(), twin.size(), s.ratingMean(), seconds, files);
        }
        return 0;
    }
}
