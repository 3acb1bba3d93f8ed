package io.foldin.cli;

import io.foldin.model.AlsParams;
import io.foldin.model.SweepSolver;
import picocli.CommandLine.Option;

/** Model hyper-parameters shared by the commands that train (defaults: {@link AlsParams#DEFAULT}). */
final class ModelOptions {
    @Option(names = "--factors", defaultValue = "20", description = "Latent dimension D (default: ${DEFAULT-VALUE}).")
    int factors;

    @Option(names = "--lambda", defaultValue = "1.0", description = "Noise precision λ (default: ${DEFAULT-VALUE}).")
    double lambda;

    @Option(names = "--tau", defaultValue = "15.0", description = "Factor prior precision τ (default: ${DEFAULT-VALUE}).")
    double tau;

    @Option(names = "--gamma", defaultValue = "3.0", description = "Bias prior precision γ (default: ${DEFAULT-VALUE}).")
    double gamma;

    @Option(names = "--solver", defaultValue = "cholesky",
            description = "cholesky (exact), cg (3 warm-started conjugate-gradient steps) or cg:STEPS (default: ${DEFAULT-VALUE}).")
    String solver;

    @Option(names = "--threads", description = "Sweep threads (default: all cores).")
    Integer threads;

    /** Checks every value before anything is loaded; a bad one is a usage error. */
    void validate(picocli.CommandLine.Model.CommandSpec spec) {
        Usage.check(spec, this::params);
        Usage.check(spec, this::solver);
        Usage.check(spec, this::threads);
    }

    AlsParams params() {
        return new AlsParams(factors, lambda, tau, gamma);
    }

    SweepSolver solver() {
        return SweepSolver.parse(solver);
    }

    int threads() {
        int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (t < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, got " + t);
        }
        return t;
    }
}
