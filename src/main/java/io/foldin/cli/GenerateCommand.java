package io.foldin.cli;

import io.foldin.data.twin.Twin;
import io.foldin.data.twin.TwinConfig;
import io.foldin.data.twin.TwinGenerator;
import io.foldin.data.twin.TwinWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code generate}: writes the synthetic twin of MovieLens 32M; the work is in {@link TwinGenerator}. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Write a synthetic dataset shaped like MovieLens 32M (ratings.csv, movies.csv, ratings.bin).",
            "Scale 1.0: 200,948 users, 84,432 items, 32,000,204 ratings; every count scales with --scale."})
public final class GenerateCommand implements Callable<Integer> {
    /** Which rating files to write; movies.csv is always written. */
    enum Format { csv, bin, both }

    @Spec
    CommandSpec spec;

    @Option(names = "--scale", defaultValue = "1.0",
            description = "Size relative to ml-32m (default: ${DEFAULT-VALUE}).")
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

    @Option(names = "--json", description = "Print one JSON object with the figures on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        TwinConfig cfg;
        try {
            cfg = TwinConfig.of(scale, seed, factors);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
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
            StringBuilder f = new StringBuilder();
            for (Path p : files) {
                f.append(f.length() == 0 ? "" : ",").append(Json.string(p.toString()));
            }
            System.out.printf(Locale.ROOT, "{\"scale\":%s,\"seed\":%d,\"factors\":%d,\"users\":%d,\"items\":%d,"
                            + "\"ratings\":%d,\"seconds\":%.3f,\"rating_mean\":%.4f,\"max_user_ratings\":%d,"
                            + "\"top_item_ratings\":%d,\"items_with_at_most_3_ratings\":%d,\"files\":[%s]}%n",
                    Double.toString(scale), seed, factors, twin.users(), twin.items(), twin.size(), seconds,
                    s.ratingMean(), s.maxUserRatings(), s.topItemRatings(), s.itemsWithAtMost3Ratings(), f);
        } else {
            System.out.printf(Locale.ROOT, "%,d users, %,d items, %,d ratings (mean %.3f) in %.1f s: %s%n",
                    twin.users(), twin.items(), twin.size(), s.ratingMean(), seconds, files);
        }
        return 0;
    }

    /** Just enough JSON for strings. */
    static final class Json {
        private Json() {
        }

        static String string(String s) {
            StringBuilder b = new StringBuilder("\"");
            for (int j = 0; j < s.length(); j++) {
                char c = s.charAt(j);
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                        } else {
                            b.append(c);
                        }
                    }
                }
            }
            return b.append('"').toString();
        }
    }
}
