package io.foldin.model;

/**
 * How a sweep solves each entity: exactly by Cholesky on the formed Gram matrix, or by
 * {@code cgSteps} conjugate-gradient steps warm-started from the current factors
 * ({@link ConjugateGradient}), which skips forming G and is faster on large data.
 */
public record SweepSolver(boolean exact, int cgSteps) {
    public static final SweepSolver CHOLESKY = new SweepSolver(true, 0);

    public SweepSolver {
        if (!exact && cgSteps < 1) {
            throw new IllegalArgumentException("cg needs at least one step, got " + cgSteps);
        }
    }

    public static SweepSolver cg(int steps) {
        return new SweepSolver(false, steps);
    }

    /** Parses {@code cholesky}, {@code cg} (3 steps) or {@code cg:STEPS}. */
    public static SweepSolver parse(String s) {
        if (s.equalsIgnoreCase("cholesky")) {
            return CHOLESKY;
        }
        if (s.equalsIgnoreCase("cg")) {
            return cg(3);
        }
        if (s.toLowerCase(java.util.Locale.ROOT).startsWith("cg:")) {
            try {
                return cg(Integer.parseInt(s.substring(3)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("cg steps '" + s.substring(3) + "' is not an integer");
            }
        }
        throw new IllegalArgumentException("unknown solver '" + s + "': use cholesky, cg or cg:STEPS");
    }

    @Override
    public String toString() {
        return exact ? "cholesky" : "cg:" + cgSteps;
    }
}
