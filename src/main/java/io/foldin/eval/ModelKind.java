package io.foldin.eval;

/** The models of {@code evaluate --model}. */
public enum ModelKind {
    /** μ + b_u + b_i + U·V with zero-mean priors. */
    BIASED("biased"),
    /** μ + b_u + b_i: the same solver at D = 0. */
    BIAS_ONLY("bias-only"),
    /** Biased, with item vectors centred on the mean of their genre feature vectors. */
    GENRE_PRIOR("genre-prior"),
    /** Biased, fitted by variational Bayes: a Gaussian posterior per entity ({@code VariationalTrainer}). */
    VARIATIONAL("variational");

    private final String label;

    ModelKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static ModelKind parse(String s) {
        for (ModelKind k : values()) {
            if (k.label.equalsIgnoreCase(s) || k.name().equalsIgnoreCase(s)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown model '" + s + "': use biased, bias-only, genre-prior or variational");
    }

    @Override
    public String toString() {
        return label;
    }
}
