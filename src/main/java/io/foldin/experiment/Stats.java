package io.foldin.experiment;

/**
 * The statistics of an experiment's readout, plain math with no I/O: Welch's t-test with its
 * Student t p-value, the pooled two-proportion z-test, Pearson's chi-square goodness of fit (the
 * sample-ratio-mismatch check), and the 95% intervals beside them. The distribution functions are
 * the regularized incomplete beta and gamma functions (continued fractions and series, as in
 * Numerical Recipes §6.2 and §6.4), accurate to about 1e-14; {@code StatsTest} checks them against SciPy.
 */
public final class Stats {
    private static final double EPS = 1e-16;
    private static final double TINY = 1e-300;
    private static final int MAX_ITER = 10_000;

    private Stats() {
    }

    /**
     * Welch's unequal-variance t-test of mean 1 against mean 2 from summary statistics (sd: sample
     * standard deviations, ddof 1), as SciPy's {@code ttest_ind_from_stats(equal_var=False)}.
     *
     * @param diff     m1 − m2
     * @param low      lower end of the 95% interval of m1 − m2
     * @param high     upper end
     */
    public record Welch(double t, double df, double p, double diff, double se, double low, double high) {
    }

    public static Welch welch(double m1, double sd1, long n1, double m2, double sd2, long n2) {
        double v1 = sd1 * sd1 / n1;
        double v2 = sd2 * sd2 / n2;
        double se = Math.sqrt(v1 + v2);
        double diff = m1 - m2;
        double df = (v1 + v2) * (v1 + v2) / (v1 * v1 / (n1 - 1) + v2 * v2 / (n2 - 1));
        if (!(se > 0) || n1 < 2 || n2 < 2) {
            return new Welch(Double.NaN, Double.NaN, Double.NaN, diff, se, Double.NaN, Double.NaN);
        }
        double t = diff / se;
        double q = studentTQuantile(0.975, df);
        return new Welch(t, df, studentTTwoSided(t, df), diff, se, diff - q * se, diff + q * se);
    }

    /** Pooled two-proportion z-test of x1/n1 against x2/n2, two-sided; the interval is the unpooled Wald one. */
    public record TwoProportion(double z, double p, double diff, double low, double high) {
    }

    public static TwoProportion twoProportion(long x1, long n1, long x2, long n2) {
        double p1 = (double) x1 / n1;
        double p2 = (double) x2 / n2;
        double pooled = (double) (x1 + x2) / (n1 + n2);
        double se0 = Math.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
        double se = Math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2);
        double z = (p1 - p2) / se0;
        double zq = normalQuantile(0.975);
        if (!(se0 > 0)) {
            return new TwoProportion(Double.NaN, Double.NaN, p1 - p2, Double.NaN, Double.NaN);
        }
        return new TwoProportion(z, 2 * normalUpper(Math.abs(z)), p1 - p2, p1 - p2 - zq * se, p1 - p2 + zq * se);
    }

    /** Pearson's chi-square goodness of fit: statistic, degrees of freedom (k − 1) and upper-tail p. */
    public record ChiSquare(double statistic, int df, double p) {
    }

    /** Observed counts against expected shares (any positive weights; normalised here). */
    public static ChiSquare goodnessOfFit(long[] observed, double[] weights) {
        long total = 0;
        double wsum = 0;
        for (int i = 0; i < observed.length; i++) {
            total += observed[i];
            wsum += weights[i];
        }
        double x = 0;
        for (int i = 0; i < observed.length; i++) {
            double e = total * weights[i] / wsum;
            x += (observed[i] - e) * (observed[i] - e) / e;
        }
        int df = observed.length - 1;
        return new ChiSquare(x, df, total == 0 || df < 1 ? Double.NaN : chiSquareUpper(x, df));
    }

    /** One-sample Kolmogorov–Smirnov test against U(0, 1): statistic D and its asymptotic p. */
    public record KolmogorovSmirnov(double d, double p) {
    }

    /** Is a sample of p-values uniform (as those of a calibrated test under the null are)? */
    public static KolmogorovSmirnov ksUniform(double[] x) {
        double[] s = x.clone();
        java.util.Arrays.sort(s);
        int n = s.length;
        double d = 0;
        for (int i = 0; i < n; i++) {
            d = Math.max(d, Math.max((i + 1.0) / n - s[i], s[i] - (double) i / n));
        }
        return new KolmogorovSmirnov(d, kolmogorovUpper(d * Math.sqrt(n)));
    }

    /** P(K ≥ λ) for the Kolmogorov distribution (SciPy's kstwobign.sf). */
    public static double kolmogorovUpper(double lambda) {
        if (lambda <= 0) {
            return 1;
        }
        if (lambda < 1) {
            // the theta-function form converges fast for small λ
            double s = 0;
            for (int k = 1; k <= 50; k++) {
                s += Math.exp(-(2 * k - 1) * (2 * k - 1) * Math.PI * Math.PI / (8 * lambda * lambda));
            }
            return 1 - Math.sqrt(2 * Math.PI) / lambda * s;
        }
        double s = 0;
        for (int k = 1; k <= 100; k++) {
            s += (k % 2 == 1 ? 1 : -1) * Math.exp(-2.0 * k * k * lambda * lambda);
        }
        return Math.max(0, 2 * s);
    }

    /** Mean ± the Student t 95% half-width of a sample's mean; NaN below two values. */
    public static double[] meanInterval(double mean, double sd, long n) {
        if (n < 2) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double h = studentTQuantile(0.975, n - 1) * sd / Math.sqrt(n);
        return new double[] {mean - h, mean + h};
    }

    /** Wald 95% interval of a proportion x/n. */
    public static double[] proportionInterval(long x, long n) {
        double p = (double) x / n;
        double h = normalQuantile(0.975) * Math.sqrt(p * (1 - p) / n);
        return new double[] {p - h, p + h};
    }

    /** P(|T| ≥ |t|) for Student's t with df degrees of freedom: I_{df/(df+t²)}(df/2, 1/2). */
    public static double studentTTwoSided(double t, double df) {
        return regularizedBeta(df / (df + t * t), df / 2, 0.5);
    }

    /** The p-quantile of Student's t (p in (0, 1)), by bisection on the distribution function. */
    public static double studentTQuantile(double p, double df) {
        double lo = -1e3;
        double hi = 1e3;
        for (int i = 0; i < 200 && hi - lo > 1e-13 * Math.max(1, Math.abs(hi)); i++) {
            double mid = (lo + hi) / 2;
            double tail = studentTTwoSided(mid, df) / 2;
            double cdf = mid < 0 ? tail : 1 - tail;
            if (cdf < p) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    /** P(Z ≥ z) for a standard normal, z ≥ 0: Q(1/2, z²/2) / 2. */
    public static double normalUpper(double z) {
        if (z < 0) {
            return 1 - normalUpper(-z);
        }
        return regularizedGammaQ(0.5, z * z / 2) / 2;
    }

    public static double normalQuantile(double p) {
        double lo = -40;
        double hi = 40;
        for (int i = 0; i < 200; i++) {
            double mid = (lo + hi) / 2;
            if (1 - normalUpper(mid) < p) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    /** P(X ≥ x) for chi-square with df degrees of freedom. */
    public static double chiSquareUpper(double x, int df) {
        return x <= 0 ? 1 : regularizedGammaQ(df / 2.0, x / 2);
    }

    /** ln Γ(x), x > 0: Lanczos (g = 7, 9 terms), about 1e-15 relative. */
    public static double lnGamma(double x) {
        if (x < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
        }
        double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
            1.5056327351493116e-7};
        x -= 1;
        double a = c[0];
        double t = x + 7.5;
        for (int i = 1; i < 9; i++) {
            a += c[i] / (x + i);
        }
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
    }

    /** The regularized incomplete beta I_x(a, b). */
    public static double regularizedBeta(double x, double a, double b) {
        if (x <= 0) {
            return 0;
        }
        if (x >= 1) {
            return 1;
        }
        double front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
        // The continued fraction converges fast for x < (a+1)/(a+b+2); use the symmetry otherwise.
        if (x < (a + 1) / (a + b + 2)) {
            return front * betaFraction(x, a, b) / a;
        }
        return 1 - front * betaFraction(1 - x, b, a) / b;
    }

    /** Lentz's method for the continued fraction of I_x(a, b). */
    private static double betaFraction(double x, double a, double b) {
        double c = 1;
        double d = 1 - (a + b) * x / (a + 1);
        d = 1 / (Math.abs(d) < TINY ? TINY : d);
        double h = d;
        for (int m = 1; m <= MAX_ITER; m++) {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 + aa * d;
            d = 1 / (Math.abs(d) < TINY ? TINY : d);
            c = 1 + aa / c;
            c = Math.abs(c) < TINY ? TINY : c;
            h *= d * c;
            aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 + aa * d;
            d = 1 / (Math.abs(d) < TINY ? TINY : d);
            c = 1 + aa / c;
            c = Math.abs(c) < TINY ? TINY : c;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1) < EPS) {
                return h;
            }
        }
        return h;
    }

    /** The upper regularized incomplete gamma Q(a, x) = Γ(a, x) / Γ(a). */
    public static double regularizedGammaQ(double a, double x) {
        if (x <= 0) {
            return 1;
        }
        double lnFront = -x + a * Math.log(x) - lnGamma(a);
        if (x < a + 1) {
            double sum = 1 / a;
            double del = sum;
            double ap = a;
            for (int n = 0; n < MAX_ITER && Math.abs(del) > Math.abs(sum) * EPS; n++) {
                ap += 1;
                del *= x / ap;
                sum += del;
            }
            return 1 - sum * Math.exp(lnFront);
        }
        double b = x + 1 - a;
        double c = 1 / TINY;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i <= MAX_ITER; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            d = 1 / (Math.abs(d) < TINY ? TINY : d);
            c = b + an / c;
            c = Math.abs(c) < TINY ? TINY : c;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1) < EPS) {
                break;
            }
        }
        return Math.exp(lnFront) * h;
    }
}
