package io.foldin.cli;

import io.foldin.eval.ModelKind;
import io.foldin.model.BprParams;
import io.foldin.model.ImplicitParams;
import io.foldin.model.ImplicitTrainer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code evaluate}'s options for implicit models (popularity, bpr, ials). Unset options take
 * {@link BprParams#DEFAULT}'s (bpr) or {@link ImplicitParams#DEFAULT}'s (ials) values, so the defaults are
 * declared once, there.
 */
final class ImplicitOptions {
    @Option(names = "--implicit-threshold", paramLabel = "T",
            description = "Ratings >= T are positives, the rest are dropped before the split (implicit models; default: 4).")
    Double threshold;

    @Option(names = "--epochs", description = "bpr: SGD epochs of |S| steps each (default: 100); ials: full sweeps (default: 15).")
    Integer epochs;

    @Option(names = "--learning-rate", description = "bpr: SGD step α (default: 0.05).")
    Double learningRate;

    @Option(names = "--regularization", description = "bpr: λ on the user and item vectors (default: 0.03); ials: λ (default: 60).")
    Double regularization;

    @Option(names = "--alpha", description = "ials: confidence c = 1 + α·w of an interaction of weight w (default: 10).")
    Double alpha;

    @Option(names = "--bias-regularization", description = "bpr: λ_b on the item biases (default: 0.01).")
    Double biasRegularization;

    @Option(names = "--negatives", paramLabel = "uniform|popularity",
            description = "bpr: negatives drawn uniformly or in proportion to item popularity (default: uniform).")
    String negatives;

    @Option(names = "--negative-samples", paramLabel = "K",
            description = "bpr: draw K negatives per step and step on the one scored highest (default: 2).")
    Integer negativeSamples;

    @Option(names = "--validation", paramLabel = "FRACTION",
            description = "Implicit models: hold this fraction of the training part out and score on it instead of the test split (for choosing settings).")
    Double validation;

    @Option(names = "--eval-every", defaultValue = "1",
            description = "Implicit models: score every N epochs and after the last; 0: never, to time epochs (default: ${DEFAULT-VALUE}).")
    int evalEvery;

    @Option(names = "--bias-weights", split = ",", paramLabel = "W[,W...]",
            description = "Explicit models: also report the ranking metrics of the top-k ranked by U·V + w·b_i (as served) for each w; positives are test ratings >= --implicit-threshold.")
    double[] biasWeights;

    static final double DEFAULT_THRESHOLD = 4.0;

    double threshold() {
        return threshold == null ? DEFAULT_THRESHOLD : threshold;
    }

    /** BPR's parameters: the given options over {@link BprParams#DEFAULT}; {@code factors} when --factors was given. */
    BprParams bpr(Integer factors) {
        BprParams d = BprParams.DEFAULT;
        return new BprParams(factors == null ? d.factors() : factors,
                learningRate == null ? d.learningRate() : learningRate,
                regularization == null ? d.regularization() : regularization,
                biasRegularization == null ? d.biasRegularization() : biasRegularization,
                epochs == null ? d.epochs() : epochs,
                negatives == null ? d.negatives() : BprParams.Negatives.parse(negatives),
                negativeSamples == null ? d.negativeSamples() : negativeSamples,
                d.stepsPerEvent());
    }

    /** Implicit ALS's parameters: the given options over {@link ImplicitParams#DEFAULT}. */
    ImplicitParams ials(Integer factors) {
        ImplicitParams d = ImplicitParams.DEFAULT;
        return new ImplicitParams(factors == null ? d.factors() : factors, alpha == null ? d.alpha() : alpha,
                regularization == null ? d.lambda() : regularization);
    }

    /** Sweeps of implicit ALS: --epochs, else {@link ImplicitTrainer#DEFAULT_SWEEPS}. */
    int ialsSweeps() {
        return epochs == null ? ImplicitTrainer.DEFAULT_SWEEPS : epochs;
    }

    /** Checks the options against the model before anything is loaded. */
    void validate(CommandSpec spec, ModelKind model, Integer factors) {
        boolean bprOption = learningRate != null || biasRegularization != null || negatives != null
                || negativeSamples != null;
        if (bprOption && model != ModelKind.BPR) {
            throw Usage.error(spec, "--learning-rate, --bias-regularization, --negatives and --negative-samples are "
                    + "used only by --model bpr");
        }
        if ((epochs != null || regularization != null) && model != ModelKind.BPR && model != ModelKind.IALS) {
            throw Usage.error(spec, "--epochs and --regularization are used only by --model bpr and --model ials");
        }
        if (alpha != null && model != ModelKind.IALS) {
            throw Usage.error(spec, "--alpha is used only by --model ials");
        }
        if (!model.implicit() && (validation != null || Usage.given(spec, "--eval-every"))) {
            throw Usage.error(spec, "--validation and --eval-every are used only by the implicit models (popularity, "
                    + "bpr, ials)");
        }
        if (!model.implicit() && threshold != null && biasWeights == null) {
            throw Usage.error(spec, "--implicit-threshold is used by the implicit models (popularity, bpr, ials) and by "
                    + "--bias-weights");
        }
        if (biasWeights != null && (model.implicit() || model == ModelKind.BIAS_ONLY)) {
            throw Usage.error(spec, "--bias-weights ranks by an explicit model's U·V + w·b_i: use --model biased, "
                    + "genre-prior or variational");
        }
        if (threshold != null && !Double.isFinite(threshold)) {
            throw Usage.error(spec, "--implicit-threshold must be a number, got " + threshold);
        }
        if (validation != null && !(validation > 0 && validation < 1)) {
            throw Usage.error(spec, "--validation must be in (0, 1), got " + validation);
        }
        if (evalEvery < 0) {
            throw Usage.error(spec, "--eval-every must be >= 0, got " + evalEvery);
        }
        if (model == ModelKind.BPR) {
            Usage.check(spec, () -> bpr(factors));
        }
        if (model == ModelKind.IALS) {
            Usage.check(spec, () -> ials(factors));
            if (ialsSweeps() < 1) {
                throw Usage.error(spec, "--epochs must be >= 1, got " + ialsSweeps());
            }
        }
    }
}
