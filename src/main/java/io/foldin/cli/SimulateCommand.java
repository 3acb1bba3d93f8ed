package io.foldin.cli;

import io.foldin.data.twin.TwinConfig;
import io.foldin.simulate.Simulation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code simulate}: A/A and A/B experiments answered by simulated users; the work is in {@link Simulation}. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        exitCodeListHeading = Usage.HEADING, exitCodeList = {Usage.OK, Usage.FAILED, Usage.BAD_USAGE},
        description = {"Run A/A and A/B experiments on a service with simulated users.",
            "Seed 003 16.3-16.5 for real. Starts serve in this process on an embedded broker, loads a twin through Kafka and sweeps;",
            "defines the experiments over HTTP; every twin user asks GET /users/{id}/recommendations",
            "(exposures go to Kafka) and rates each item shown through POST /ratings with the twin's",
            "hidden score plus N(0, noise^2) noise; reads GET /experiments/{name} once the stream has",
            "joined every outcome. --aa-runs N: N A/A experiments (two identical variants) at once,",
            "reports false_positive_rate, the share with Welch p < alpha. Unless --no-ab, one A/B",
            "experiment with a planted effect: biasWeight 1 (control) against 0 (treatment)."})
public final class SimulateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--scale", defaultValue = "0.002",
            description = "Twin size relative to ml-32m (default: ${DEFAULT-VALUE}: about 400 users).")
    double scale;

    @Option(names = "--seed", defaultValue = "42", description = "Twin and noise seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--aa-runs", defaultValue = "0", paramLabel = "N", description = "A/A experiments (default: ${DEFAULT-VALUE}).")
    int aaRuns;

    @Option(names = "--no-ab", description = "No A/B experiment with the planted effect.")
    boolean noAb;

    @Option(names = "-k", defaultValue = "10", description = "Items shown to each user (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--noise", defaultValue = "0.5", description = "Standard deviation of the answers' noise (default: ${DEFAULT-VALUE}).")
    double noise;

    @Option(names = "--alpha", defaultValue = "0.05", description = "Significance level (default: ${DEFAULT-VALUE}).")
    double alpha;

    @Option(names = "--concurrency", defaultValue = "8", description = "Simulated users at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Broker and state directory (default: a new temporary one).")
    Path workDir;

    @Option(names = "--json", description = "Print one JSON object with the results on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (scale < TwinConfig.MIN_SCALE || scale > 0.1) {
            throw Usage.error(spec, "--scale must be in [" + TwinConfig.MIN_SCALE + ", 0.1], got " + scale);
        }
        if (aaRuns < 0 || aaRuns > 1000) {
            throw Usage.error(spec, "--aa-runs must be in [0, 1000], got " + aaRuns);
        }
        if (aaRuns == 0 && noAb) {
            throw Usage.error(spec, "nothing to run: --no-ab without --aa-runs");
        }
        if (k < 1 || k > 100 || !(noise >= 0) || !(alpha > 0 && alpha < 1) || concurrency < 1) {
            throw Usage.error(spec, "-k must be in [1, 100], --noise >= 0, --alpha in (0, 1), --concurrency >= 1");
        }
        Path dir = workDir != null ? workDir : Files.createTempDirectory("foldin-simulate");
        Map<String, Object> r = new Simulation(new Simulation.Options(scale, seed, k, noise, aaRuns, !noAb, alpha,
                concurrency, dir), System.err::println).run();
        r.put("scale", scale);
        r.put("seed", seed);
        if (json) {
            System.out.println(Json.write(r));
        } else {
            r.forEach((key, v) -> System.out.printf(Locale.ROOT, "%s: %s%n", key, v));
        }
        return 0;
    }
}
