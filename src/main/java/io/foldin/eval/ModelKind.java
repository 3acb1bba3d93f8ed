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
    VARIATIONAL("variational"),
    /** Implicit: score = the item's number of training positives ({@code io.foldin.model.Popularity}). */
    POPULARITY("popularity"),
    /** Implicit: Bayesian personalised ranking, MF with item biases by SGD ({@code io.foldin.model.Bpr}). */
    BPR("bpr"),
    /** Implicit ALS (Hu, Koren, Volinsky 2008): built on branch implicit-live. */
    IALS("ials");

    private final String label;

    ModelKind(String label) {
        this.label = label;
    }

    /** Whether the model learns from positives alone and is scored by ranking metrics ({@link ImplicitEvaluation}). */
    public boolean implicit() {
        return this == POPULARITY || this == BPR || this == IALS;
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
        throw new IllegalArgumentException("unknown model '" + s + "': use biased, bias-only, genre-prior, variational, popularity, bpr or ials");
    }

    @Override
    public String toString() {
        return label;
    }
}
