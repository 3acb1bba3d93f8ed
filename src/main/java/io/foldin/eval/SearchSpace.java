package io.foldin.eval;

import io.foldin.model.AlsParams;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The values {@code tune} tries for D, λ, τ and γ, and the settings drawn from them: the whole product (grid
 * search) or a seeded sample of it (random search).
 *
 * <p>Each axis is written as a comma-separated list whose items are numbers or inclusive ranges
 * {@code START:STOP:STEP}: {@code 5,10,15,20,30}, {@code 5:30:5} (5, 10, …, 30), {@code 1,3:9:3}. Ranges are
 * stepped in decimal arithmetic, so {@code 0.1:0.3:0.1} gives exactly 0.1, 0.2 and 0.3.
 */
public record SearchSpace(List<Integer> factors, List<Double> lambda, List<Double> tau, List<Double> gamma) {
    /** More settings than this is a mistake, not a search (every one costs a fit per fold). */
    public static final int MAX_SETTINGS = 100_000;

    public SearchSpace {
        factors = List.copyOf(factors);
        lambda = List.copyOf(lambda);
        tau = List.copyOf(tau);
        gamma = List.copyOf(gamma);
        if ((long) factors.size() * lambda.size() * tau.size() * gamma.size() > MAX_SETTINGS) {
            throw new IllegalArgumentException("the search space has more than " + MAX_SETTINGS + " settings");
        }
        for (int f : factors) {
            for (double l : lambda) {
                new AlsParams(f, l, 1, 1); // range checks of D and λ, by the model's own rules
            }
        }
        for (double t : tau) {
            if (!(t > 0) || Double.isInfinite(t)) {
                throw new IllegalArgumentException("--tau values must be > 0 and finite (a zero prior has no unique solve), got " + t);
            }
        }
        for (double g : gamma) {
            if (!(g > 0) || Double.isInfinite(g)) {
                throw new IllegalArgumentException("--gamma values must be > 0 and finite (a zero prior has no unique solve), got " + g);
            }
        }
    }

    /** Parses the four axes; a bad one throws {@link IllegalArgumentException} naming the option. */
    public static SearchSpace parse(String factors, String lambda, String tau, String gamma) {
        List<Integer> d = new ArrayList<>();
        for (BigDecimal v : values("--factors", factors)) {
            try {
                d.add(v.intValueExact());
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("--factors values must be whole numbers, got " + v.toPlainString());
            }
        }
        return new SearchSpace(d, doubles("--lambda", lambda), doubles("--tau", tau), doubles("--gamma", gamma));
    }

    public int size() {
        return factors.size() * lambda.size() * tau.size() * gamma.size();
    }

    /** Every setting, D outermost, then λ, τ, γ (the order of the table and of ties). */
    public List<AlsParams> grid() {
        List<AlsParams> out = new ArrayList<>(size());
        for (int f : factors) {
            for (double l : lambda) {
                for (double t : tau) {
                    for (double g : gamma) {
                        out.add(new AlsParams(f, l, t, g));
                    }
                }
            }
        }
        return out;
    }

    /**
     * {@code trials} distinct settings drawn uniformly from the grid by a seeded partial shuffle, in grid order;
     * the whole grid when {@code trials} is at least its size. The same seed draws the same settings.
     */
    public List<AlsParams> random(int trials, long seed) {
        if (trials < 1) {
            throw new IllegalArgumentException("--trials must be >= 1, got " + trials);
        }
        List<AlsParams> all = grid();
        if (trials >= all.size()) {
            return all;
        }
        int[] idx = new int[all.size()];
        for (int k = 0; k < idx.length; k++) {
            idx[k] = k;
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int k = 0; k < trials; k++) {
            int j = k + rnd.nextInt(idx.length - k);
            int t = idx[k];
            idx[k] = idx[j];
            idx[j] = t;
        }
        java.util.Arrays.sort(idx, 0, trials);
        List<AlsParams> out = new ArrayList<>(trials);
        for (int k = 0; k < trials; k++) {
            out.add(all.get(idx[k]));
        }
        return out;
    }

    private static List<Double> doubles(String option, String spec) {
        List<Double> out = new ArrayList<>();
        for (BigDecimal v : values(option, spec)) {
            out.add(v.doubleValue());
        }
        return out;
    }

    /** The distinct values of one axis, in the order written. */
    static List<BigDecimal> values(String option, String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException(option + " needs at least one value");
        }
        LinkedHashSet<BigDecimal> out = new LinkedHashSet<>();
        for (String item : spec.split(",", -1)) {
            String[] parts = item.strip().split(":", -1);
            if (parts.length == 1) {
                out.add(number(option, parts[0]));
            } else if (parts.length == 3) {
                BigDecimal start = number(option, parts[0]);
                BigDecimal stop = number(option, parts[1]);
                BigDecimal step = number(option, parts[2]);
                if (step.signum() <= 0 || stop.compareTo(start) < 0) {
                    throw new IllegalArgumentException(option + " range '" + item.strip()
                            + "' must be START:STOP:STEP with STOP >= START and STEP > 0");
                }
                if (stop.subtract(start).divide(step, java.math.MathContext.DECIMAL64).compareTo(
                        BigDecimal.valueOf(MAX_SETTINGS)) > 0) {
                    throw new IllegalArgumentException(option + " range '" + item.strip() + "' has too many values");
                }
                for (BigDecimal v = start; v.compareTo(stop) <= 0; v = v.add(step)) {
                    out.add(v.stripTrailingZeros());
                }
            } else {
                throw new IllegalArgumentException(option + " item '" + item.strip()
                        + "' must be a number or START:STOP:STEP");
            }
        }
        return List.copyOf(out);
    }

    private static BigDecimal number(String option, String s) {
        try {
            return new BigDecimal(s.strip()).stripTrailingZeros();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " value '" + s.strip() + "' is not a number");
        }
    }
}
