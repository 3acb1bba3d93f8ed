package io.foldin.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small inline-SVG chart: scatter, line and bar (histogram or categorical) series on linear or log-10 axes,
 * with ticks, tick labels, axis labels, a title and a legend. No script and nothing loaded: the markup stands
 * alone inside an HTML page. Every text is escaped ({@link Html#escape}).
 *
 * <p>Elements carry classes a test can count: {@code axis} (the two axis lines), {@code tick},
 * {@code axis-label}, {@code title} and {@code data} (every circle, polyline and bar of a series). A point
 * or bar with a tip gets an SVG {@code <title>} child, which browsers show on hover.
 */
public final class SvgChart {
    public enum Scale { LINEAR, LOG }

    /** Tableau's ten categorical colours; series cycle through them. */
    static final String[] PALETTE = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
        "#ff9da7", "#9c755f", "#bab0ac"};

    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 36;

    private sealed interface Series permits Points, Line, Bars {
        String name();
    }

    private record Points(String name, double[] x, double[] y, String[] tips, double radius) implements Series {
    }

    private record Line(String name, double[] x, double[] y) implements Series {
    }

    /** Bar k spans {@code [edges[k], edges[k+1])} with height {@code heights[k]}. */
    private record Bars(String name, double[] edges, double[] heights, String[] tips) implements Series {
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private Scale xScale = Scale.LINEAR;
    private Scale yScale = Scale.LINEAR;
    private String[] categories;
    private final List<Series> series = new ArrayList<>();

    public SvgChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public SvgChart scales(Scale x, Scale y) {
        this.xScale = x;
        this.yScale = y;
        return this;
    }

    public SvgChart points(String name, double[] x, double[] y) {
        return points(name, x, y, null, 2.5);
    }

    /** @param tips one hover text per point, or null */
    public SvgChart points(String name, double[] x, double[] y, String[] tips, double radius) {
        check(x.length == y.length && (tips == null || tips.length == x.length), "point arrays of different lengths");
        series.add(new Points(name, x, y, tips, radius));
        return this;
    }

    public SvgChart line(String name, double[] x, double[] y) {
        check(x.length == y.length, "line arrays of different lengths");
        series.add(new Line(name, x, y));
        return this;
    }

    /** A histogram: bar k over {@code [edges[k], edges[k+1])}. */
    public SvgChart histogram(String name, double[] edges, double[] heights) {
        check(edges.length == heights.length + 1, "a histogram needs one more edge than bars");
        series.add(new Bars(name, edges, heights, null));
        return this;
    }

    /** Categorical bars, one per label, in order; the x axis shows the labels. */
    public SvgChart bars(String name, String[] labels, double[] heights) {
        check(labels.length == heights.length, "bar labels and heights of different lengths");
        categories = labels.clone();
        double[] edges = new double[labels.length + 1];
        for (int k = 0; k <= labels.length; k++) {
            edges[k] = k;
        }
        String[] tips = new String[labels.length];
        for (int k = 0; k < labels.length; k++) {
            tips[k] = labels[k] + ": " + format(heights[k]);
        }
        series.add(new Bars(name, edges, heights, tips));
        return this;
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** The chart as one {@code <svg>} element of the given size in pixels. */
    public String render(int width, int height) {
        int bottom = categories == null ? 50 : 90;
        double plotW = width - LEFT - RIGHT;
        double plotH = height - TOP - bottom;
        Axis ax = Axis.of(xScale, range(true), categories != null);
        Axis ay = Axis.of(yScale, range(false), false);
        StringBuilder s = new StringBuilder(4096);
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"%d\" "
                + "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" font-family=\"sans-serif\" font-size=\"11\">",
                width, height, width, height));
        s.append("<title>").append(Html.escape(title)).append("</title>");
        s.append(String.format(Locale.ROOT, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>",
                width, height));
        s.append(String.format(Locale.ROOT, "<text class=\"title\" x=\"%d\" y=\"20\" text-anchor=\"middle\" "
                + "font-size=\"14\" font-weight=\"bold\">%s</text>", width / 2, Html.escape(title)));
        double x0 = LEFT;
        double y0 = TOP + plotH;
        // grid and ticks
        if (categories == null) {
            for (double t : ax.ticks()) {
                double px = x0 + ax.frac(t) * plotW;
                s.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                        + "stroke=\"#eeeeee\"/>", px, (double) TOP, px, y0));
                s.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s"
                        + "</text>", px, y0 + 16, Html.escape(ax.label(t))));
            }
        } else {
            for (int k = 0; k < categories.length; k++) {
                double px = x0 + ax.frac(k + 0.5) * plotW;
                s.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" "
                        + "transform=\"rotate(-45 %.1f %.1f)\">%s</text>", px, y0 + 12, px, y0 + 12,
                        Html.escape(categories[k])));
            }
        }
        for (double t : ay.ticks()) {
            double py = y0 - ay.frac(t) * plotH;
            s.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                    + "stroke=\"#eeeeee\"/>", x0, py, x0 + plotW, py));
            s.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
                    x0 - 6, py + 4, Html.escape(ay.label(t))));
        }
        // data
        for (int k = 0; k < series.size(); k++) {
            String colour = PALETTE[k % PALETTE.length];
            renderSeries(s, series.get(k), colour, ax, ay, x0, y0, plotW, plotH);
        }
        // axes and their labels
        s.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                + "stroke=\"#333333\"/>", x0, y0, x0 + plotW, y0));
        s.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                + "stroke=\"#333333\"/>", x0, (double) TOP, x0, y0));
        s.append(String.format(Locale.ROOT, "<text class=\"axis-label\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s"
                + "</text>", x0 + plotW / 2, height - 6, Html.escape(xLabel + scaleNote(xScale))));
        s.append(String.format(Locale.ROOT, "<text class=\"axis-label\" x=\"14\" y=\"%.1f\" text-anchor=\"middle\" "
                + "transform=\"rotate(-90 14 %.1f)\">%s</text>", TOP + plotH / 2, TOP + plotH / 2,
                Html.escape(yLabel + scaleNote(yScale))));
        if (series.size() > 1) {
            for (int k = 0; k < series.size(); k++) {
                double ly = TOP + 4 + 14 * k;
                s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                        + "<text class=\"legend\" x=\"%.1f\" y=\"%.1f\">%s</text>", x0 + plotW - 150, ly,
                        PALETTE[k % PALETTE.length], x0 + plotW - 136, ly + 9, Html.escape(series.get(k).name())));
            }
        }
        s.append("</svg>");
        return s.toString();
    }

    private static String scaleNote(Scale scale) {
        return scale == Scale.LOG ? " (log scale)" : "";
    }

    private static void renderSeries(StringBuilder s, Series series, String colour, Axis ax, Axis ay, double x0,
                                     double y0, double w, double h) {
        if (series instanceof Points p) {
            for (int i = 0; i < p.x().length; i++) {
                if (!ax.valid(p.x()[i]) || !ay.valid(p.y()[i])) {
                    continue;
                }
                s.append(String.format(Locale.ROOT, "<circle class=\"data\" cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" "
                        + "fill=\"%s\" fill-opacity=\"0.7\">", x0 + ax.frac(p.x()[i]) * w, y0 - ay.frac(p.y()[i]) * h,
                        p.radius(), colour));
                if (p.tips() != null) {
                    s.append("<title>").append(Html.escape(p.tips()[i])).append("</title>");
                }
                s.append("</circle>");
            }
        } else if (series instanceof Line l) {
            StringBuilder pts = new StringBuilder();
            for (int i = 0; i < l.x().length; i++) {
                if (ax.valid(l.x()[i]) && ay.valid(l.y()[i])) {
                    pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x0 + ax.frac(l.x()[i]) * w,
                            y0 - ay.frac(l.y()[i]) * h));
                }
            }
            s.append("<polyline class=\"data\" fill=\"none\" stroke=\"").append(colour)
                    .append("\" stroke-width=\"2\" points=\"").append(pts.toString().trim()).append("\"><title>")
                    .append(Html.escape(l.name())).append("</title></polyline>");
        } else if (series instanceof Bars b) {
            double base = ay.scale() == Scale.LOG ? ay.lo() : Math.max(ay.lo(), Math.min(0, ay.hi()));
            for (int k = 0; k < b.heights().length; k++) {
                double v = b.heights()[k];
                if (!ay.valid(v) || !ax.valid(b.edges()[k]) || !ax.valid(b.edges()[k + 1])) {
                    continue;
                }
                double left = x0 + ax.frac(b.edges()[k]) * w;
                double right = x0 + ax.frac(b.edges()[k + 1]) * w;
                double top = y0 - ay.frac(Math.max(v, base)) * h;
                double bot = y0 - ay.frac(Math.min(v, base)) * h;
                double gap = Math.min(2, (right - left) * 0.1);
                s.append(String.format(Locale.ROOT, "<rect class=\"data\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                        + "height=\"%.1f\" fill=\"%s\">", left + gap / 2, top, Math.max(0.5, right - left - gap),
                        Math.max(0.5, bot - top), colour));
                String tip = b.tips() != null ? b.tips()[k]
                        : "[" + format(b.edges()[k]) + ", " + format(b.edges()[k + 1]) + "): " + format(v);
                s.append("<title>").append(Html.escape(tip)).append("</title></rect>");
            }
        }
    }

    /** The data range of every series on one axis, with bars' baseline 0 on the y axis. */
    private double[] range(boolean xAxis) {
        Scale scale = xAxis ? xScale : yScale;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series se : series) {
            double[] v;
            if (se instanceof Points p) {
                v = xAxis ? p.x() : p.y();
            } else if (se instanceof Line l) {
                v = xAxis ? l.x() : l.y();
            } else {
                Bars b = (Bars) se;
                v = xAxis ? b.edges() : b.heights();
                if (!xAxis && scale == Scale.LINEAR) {
                    lo = Math.min(lo, 0);
                    hi = Math.max(hi, 0);
                }
            }
            for (double d : v) {
                if (Double.isFinite(d) && (scale == Scale.LINEAR || d > 0)) {
                    lo = Math.min(lo, d);
                    hi = Math.max(hi, d);
                }
            }
        }
        return new double[] {lo, hi};
    }

    static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) v);
        }
        double a = Math.abs(v);
        return a >= 100 ? String.format(Locale.ROOT, "%.0f", v)
                : a >= 1 ? String.format(Locale.ROOT, "%.2f", v)
                : a >= 0.001 ? String.format(Locale.ROOT, "%.4f", v) : String.format(Locale.ROOT, "%.2e", v);
    }
}
