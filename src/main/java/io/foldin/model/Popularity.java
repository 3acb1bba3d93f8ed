package io.foldin.model;

import io.foldin.data.RatingMatrix;

/**
 * The popularity baseline: {@code s_ui = |{v : (v, i) ∈ S}|}, the number of training interactions of item i, the
 * same for every user. Any personalised model should beat it.
 */
public final class Popularity implements ImplicitScorer {
    private final double[] counts;

    private Popularity(double[] counts) {
        this.counts = counts;
    }

    /** Counts the interactions per item of {@code train} (its item-major rows). */
    public static Popularity of(RatingMatrix train) {
        double[] c = new double[train.numItems()];
        for (int i = 0; i < c.length; i++) {
            c[i] = train.itemCount(i);
        }
        return new Popularity(c);
    }

    @Override
    public int items() {
        return counts.length;
    }

    @Override
    public void scores(int user, double[] out) {
        System.arraycopy(counts, 0, out, 0, counts.length);
    }
}
