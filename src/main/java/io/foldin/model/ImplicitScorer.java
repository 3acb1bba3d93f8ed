package io.foldin.model;

/**
 * A trained implicit-feedback model, as evaluation and serving see it: a score per (user, item) whose order is the
 * ranking, nothing more (scores are not ratings and need not be probabilities). Users and items are the dense
 * indices of the training data's {@link io.foldin.data.IdIndex}es ({@link io.foldin.data.RatingMatrix} rows and
 * columns). This is the one place each implicit model kind scores: evaluation ({@code io.foldin.eval}) and the
 * serving paths call {@link #scores} and never recompute a score themselves.
 */
public interface ImplicitScorer {
    /** Number of items scored: {@link #scores} fills {@code out[0 .. items())}. */
    int items();

    /**
     * Writes the score of every item for {@code user} into {@code out[0 .. items())}; higher ranks first.
     * A user index the model has no state for (a user with no training interactions, or one past its users)
     * gets the model's cold-user scores, not an exception.
     */
    void scores(int user, double[] out);
}
