package io.foldin.serve.rank;

/**
 * How a list is ranked ({@code ranking=} on the list endpoints, docs/design.md §1.8): by the mean score, by
 * {@code mean / (1 + var)} (seed 003 eq. 41: uncertain items lose score, so rare items stop crowding the top
 * without {@code minRatings}) or by the upper confidence bound {@code mean + β √var} (exploration: uncertain
 * items gain).
 */
public enum Ranking {
    MEAN("mean"), UNCERTAINTY("uncertainty"), UCB("ucb");

    private final String label;

    Ranking(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The mode named {@code s} (its label), or null. */
    public static Ranking parse(String s) {
        for (Ranking r : values()) {
            if (r.label.equals(s)) {
                return r;
            }
        }
        return null;
    }

    /** The ranking score of a mean with variance {@code var}; {@code beta} is used by UCB only. */
    public double score(double mean, double var, double beta) {
        return switch (this) {
            case MEAN -> mean;
            case UNCERTAINTY -> mean / (1 + var);
            case UCB -> mean + beta * Math.sqrt(Math.max(0, var));
        };
    }
}
