package io.foldin.analysis;

import java.util.Arrays;

/**
 * The rank plot of a count distribution (ratings per user, ratings per item) and its log-log slope
 * (seed 003 Fig. 1–2: −1.93 for users and −0.62 for items on ml-32m; seed 002 Fig. 2–3).
 *
 * <p>Fit: sort the counts from most to least and fit {@code ln count_r = a + b ln r} (r = 1, 2, … the rank)
 * by weighted least squares over the ranks from {@link #FROM} to {@link #TO} of the list (20% to 50%), each
 * rank weighted 1/r so that every stretch of ln r weighs alike. That range is the body of the curve: past the
 * head and before the floor of 1 to 3 ratings where counts are integers. A pure power law
 * {@code c ∝ r^-α} gives b = −α. The twin generator reports the same fit ({@code generate --json}).
 */
public final class PowerLaw {
    /** The rank range of the fit, as fractions of the list. */
    public static final double FROM = 0.2;
    public static final double TO = 0.5;

    private PowerLaw() {
    }

    /**
     * {@code ln count = intercept + slope ln rank} over ranks {@code [fromRank, toRank]}; both NaN for fewer
     * than two ranks in the range.
     */
    public record Fit(double intercept, double slope, int fromRank, int toRank) {
        /** The fitted count at a rank. */
        public double at(double rank) {
            return Math.exp(intercept + slope * Math.log(rank));
        }
    }

    /** The counts sorted from most to least (index r − 1 holds rank r). */
    public static int[] ranked(int[] counts) {
        int[] sorted = counts.clone();
        Arrays.sort(sorted);
        for (int a = 0, b = sorted.length - 1; a < b; a++, b--) {
            int t = sorted[a];
            sorted[a] = sorted[b];
            sorted[b] = t;
        }
        return sorted;
    }

    public static Fit fit(int[] counts) {
        int n = counts.length;
        int[] sorted = ranked(counts);
        int lo = Math.max(1, (int) Math.ceil(FROM * n));
        int hi = (int) Math.floor(TO * n);
        double sw = 0;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (int r = lo; r <= hi; r++) {
            double w = 1.0 / r;
            double x = Math.log(r);
            double y = Math.log(Math.max(1, sorted[r - 1]));
            sw += w;
            sx += w * x;
            sy += w * y;
            sxx += w * x * x;
            sxy += w * x * y;
        }
        double den = sw * sxx - sx * sx;
        if (hi - lo < 1 || !(den > 0)) {
            return new Fit(Double.NaN, Double.NaN, lo, hi);
        }
        double slope = (sw * sxy - sx * sy) / den;
        return new Fit((sy - slope * sx) / sw, slope, lo, hi);
    }
}
