package io.foldin.experiment;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The readout's statistics against SciPy 1.17.1 on fixed numbers. The expected values come from
 * <pre>
 * python3 -c "from scipy import stats; print(stats.ttest_ind_from_stats(3.2,0.8,150,3.0,0.9,120,equal_var=False))"
 * </pre>
 * (and likewise for the other cases); the z-test as
 * {@code z=(p1-p2)/sqrt(p*(1-p)*(1/n1+1/n2)); 2*stats.norm.sf(abs(z))} with p pooled, the chi-square as
 * {@code stats.chisquare([510,490],[500,500])}, the quantiles as {@code stats.t.ppf(0.975, df)}.
 */
class StatsTest {
    private static final double TOL = 1e-6;

    @Test
    void welchMatchesScipy() {
        check(3.2, 0.8, 150, 3.0, 0.9, 120, 1.9054821777711106, 0.05791095583553166);
        // seed 003 Table 10's summary statistics
        check(2.928, 0.754, 167, 3.884, 0.276, 33, -12.648500538106159, 7.788023124988414e-25);
        check(0.51, 1.2, 1000, 0.49, 1.1, 1010, 0.38939553740620775, 0.6970252506294125);
        check(4.1, 0.3, 5, 3.9, 0.6, 7, 0.7590333900710804, 0.4667582837369908);
    }

    private static void check(double m1, double s1, long n1, double m2, double s2, long n2, double t, double p) {
        Stats.Welch w = Stats.welch(m1, s1, n1, m2, s2, n2);
        assertEquals(t, w.t(), TOL, "t");
        assertEquals(p, w.p(), TOL, "p");
        assertEquals(p, w.p(), Math.max(1e-12, p * 1e-8), "p, relative");
    }

    @Test
    void twoProportionMatchesScipy() {
        Stats.TwoProportion a = Stats.twoProportion(120, 1000, 150, 1000);
        assertEquals(-1.963049807622355, a.z(), TOL);
        assertEquals(0.04964038686536878, a.p(), TOL);
        Stats.TwoProportion b = Stats.twoProportion(45, 300, 30, 310);
        assertEquals(2.0013411240577503, b.z(), TOL);
        assertEquals(0.04535564081575662, b.p(), TOL);
    }

    @Test
    void chiSquareMatchesScipy() {
        Stats.ChiSquare two = Stats.goodnessOfFit(new long[] {510, 490}, new double[] {1, 1});
        assertEquals(0.4, two.statistic(), TOL);
        assertEquals(0.5270892568655381, two.p(), TOL);
        Stats.ChiSquare three = Stats.goodnessOfFit(new long[] {300, 340, 420}, new double[] {0.25, 0.25, 0.5});
        assertEquals(48.679245283018865, three.statistic(), TOL);
        assertEquals(2.6880428975003737e-11, three.p(), 1e-15);
        assertEquals(2, three.df());
    }

    @Test
    void quantilesMatchScipy() {
        assertEquals(2.345066736547703, Stats.studentTQuantile(0.975, 7.3), TOL);
        assertEquals(1.9623390808264083, Stats.studentTQuantile(0.975, 1000), TOL);
        assertEquals(1.959963984540054, Stats.normalQuantile(0.975), TOL);
    }

    /** {@code stats.kstest(x, 'uniform', method='asymp')}. */
    @Test
    void kolmogorovSmirnovMatchesScipy() {
        Stats.KolmogorovSmirnov a = Stats.ksUniform(new double[] {0.01, 0.2, 0.33, 0.5, 0.52, 0.71, 0.9, 0.95});
        assertEquals(0.15, a.d(), 1e-12);
        assertEquals(0.993764859699076, a.p(), TOL);
        assertEquals(0.9639452436648751, Stats.kolmogorovUpper(0.5), TOL);
        assertEquals(0.003067621347579706, Stats.kolmogorovUpper(1.8), TOL);
        assertEquals(0.26999967167735456, Stats.kolmogorovUpper(1.0), TOL);
    }
}
