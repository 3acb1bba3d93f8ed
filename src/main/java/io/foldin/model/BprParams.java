package io.foldin.model;

/**
 * Hyper-parameters of {@link Bpr}, declared once here ({@link #DEFAULT} is what {@code evaluate --model bpr} uses
 * unless told otherwise; chosen on a validation split of ml-latest-small's training part, see load-tests/RESULTS.md).
 *
 * @param factors            latent dimension D
 * @param learningRate       SGD step α
 * @param regularization     λ on the user and item vectors
 * @param biasRegularization λ_b on the item biases
 * @param epochs             passes of |S| SGD steps each (the sweep analogue)
 * @param negatives          how the negative item j is drawn
 * @param negativeSamples    candidates drawn per step; the one the model scores highest is the step's j (1: plain
 *                           BPR; more: dynamic negative sampling, Zhang et al. 2013, which favours top-k precision)
 * @param stepsPerEvent      SGD steps applied for one new (u, i) online ({@link Bpr#observe})
 */
public record BprParams(int factors, double learningRate, double regularization, double biasRegularization,
                        int epochs, Negatives negatives, int negativeSamples, int stepsPerEvent) {
    /** Standard deviation of each entry of a fresh factor vector. */
    public static final double INIT_SCALE = 0.1;

    public static final BprParams DEFAULT = new BprParams(128, 0.05, 0.03, 0.01, 100, Negatives.UNIFORM, 2, 20);

    /** The negative sampler: j uniform over I, or j with probability |S_j| / |S| (popular items more often). */
    public enum Negatives {
        UNIFORM, POPULARITY;

        public static Negatives parse(String s) {
            for (Negatives n : values()) {
                if (n.name().equalsIgnoreCase(s)) {
                    return n;
                }
            }
            throw new IllegalArgumentException("unknown negative sampler '" + s + "': use uniform or popularity");
        }

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public BprParams {
        if (factors < 1) {
            throw new IllegalArgumentException("--factors must be >= 1, got " + factors);
        }
        if (!(learningRate > 0 && learningRate < 10)) {
            throw new IllegalArgumentException("--learning-rate must be in (0, 10), got " + learningRate);
        }
        if (!(regularization >= 0) || !(biasRegularization >= 0)) {
            throw new IllegalArgumentException("--regularization and --bias-regularization must be >= 0");
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        }
        if (negativeSamples < 1) {
            throw new IllegalArgumentException("--negative-samples must be >= 1, got " + negativeSamples);
        }
        if (stepsPerEvent < 1) {
            throw new IllegalArgumentException("steps per event must be >= 1, got " + stepsPerEvent);
        }
        if (negatives == null) {
            throw new IllegalArgumentException("negatives: uniform or popularity");
        }
    }
}
