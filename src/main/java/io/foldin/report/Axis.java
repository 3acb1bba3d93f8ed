package io.foldin.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One axis of a {@link SvgChart}: its scale, the range shown and the ticks. A linear axis steps by 1, 2 or 5 times a
 * power of ten, about six steps over the data, widened to whole steps; a log axis ticks at powers of ten.
 */
record Axis(SvgChart.Scale scale, double lo, double hi, double[] ticks, double step) {
    static Axis of(SvgChart.Scale scale, double[] range, boolean categorical) {
        double lo = range[0];
        double hi = range[1];
        if (!(lo <= hi)) {
            lo = scale == SvgChart.Scale.LOG ? 1 : 0;
            hi = scale == SvgChart.Scale.LOG ? 10 : 1;
        }
        if (categorical) {
            return new Axis(scale, lo, hi, new double[0], 1);
        }
        if (scale == SvgChart.Scale.LOG) {
            int a = (int) Math.floor(Math.log10(lo));
            int b = (int) Math.ceil(Math.log10(hi));
            if (b == a) {
                b++;
            }
            int every = Math.max(1, (b - a + 7) / 8);
            List<Double> t = new ArrayList<>();
            for (int k = a; k <= b; k += every) {
                t.add(Math.pow(10, k));
            }
            return new Axis(scale, Math.pow(10, a), Math.pow(10, b), t.stream().mapToDouble(Double::doubleValue)
                    .toArray(), every);
        }
        if (lo == hi) {
            double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
            lo -= pad;
            hi += pad;
        }
        double step = niceStep((hi - lo) / 6);
        double first = Math.floor(lo / step) * step;
        double last = Math.ceil(hi / step) * step;
        int n = (int) Math.round((last - first) / step);
        double[] t = new double[n + 1];
        for (int k = 0; k <= n; k++) {
            t[k] = first + k * step;
        }
        return new Axis(scale, first, last, t, step);
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double m = raw / p;
        return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
    }

    boolean valid(double v) {
        return Double.isFinite(v) && (scale == SvgChart.Scale.LINEAR || v > 0);
    }

    /** Where v lies from lo (0) to hi (1). */
    double frac(double v) {
        if (scale == SvgChart.Scale.LOG) {
            return (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
        }
        return (v - lo) / (hi - lo);
    }

    String label(double t) {
        if (scale == SvgChart.Scale.LOG) {
            int k = (int) Math.round(Math.log10(t));
            return k >= 0 && k <= 6 ? SvgChart.format(t) : "1e" + k;
        }
        // round away the float noise of first + k * step
        double r = Math.round(t / step) * step;
        return step >= 1 ? SvgChart.format(Math.rint(r)) : String.format(Locale.ROOT, "%." + decimals(step) + "f", r);
    }

    private static int decimals(double step) {
        return Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
    }
}
