package io.foldin.report;

import io.foldin.analysis.BiasPopularity;
import io.foldin.analysis.EmbeddingMap;
import io.foldin.analysis.GenreFeatures;
import io.foldin.analysis.Histograms;
import io.foldin.analysis.ItemModel;
import io.foldin.analysis.PowerLaw;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One {@link SvgChart} per analysis of {@link ReportPage}. */
final class Charts {
    /** Points drawn at most per scatter: beyond that the page grows by megabytes and shows nothing more. */
    static final int MAX_POINTS = 4000;
    /** Genres with a colour of their own on the map; the rest share "other". */
    static final int MAP_GENRES = 7;

    private Charts() {
    }

    static String histogram(Histograms.Bins bins, String title, String x, String y) {
        return new SvgChart(title, x, y).histogram(y, bins.edges(), toDouble(bins.counts()))
                .render(ReportPage.W, ReportPage.H);
    }

    /** Counts by rank on log-log axes, with the fitted line over its rank range. */
    static String rankPlot(int[] counts, PowerLaw.Fit fit, String title, String x, String y) {
        int[] ranked = PowerLaw.ranked(counts);
        int n = ranked.length;
        int step = Math.max(1, n / MAX_POINTS);
        List<double[]> pts = new ArrayList<>();
        for (int r = 1; r <= n; r += step) {
            if (ranked[r - 1] > 0) {
                pts.add(new double[] {r, ranked[r - 1]});
            }
        }
        SvgChart c = new SvgChart(title, x, y).scales(SvgChart.Scale.LOG, SvgChart.Scale.LOG)
                .points(y, column(pts, 0), column(pts, 1), null, 1.8);
        if (!Double.isNaN(fit.slope())) {
            c.line(String.format(java.util.Locale.ROOT, "fit, slope %.2f", fit.slope()),
                    new double[] {fit.fromRank(), fit.toRank()}, new double[] {fit.at(fit.fromRank()),
                        fit.at(fit.toRank())});
        }
        return c.render(ReportPage.W, ReportPage.H);
    }

    static String magnitudes(List<GenreFeatures.Magnitude> mags) {
        String[] labels = mags.stream().map(GenreFeatures.Magnitude::genre).toArray(String[]::new);
        double[] v = mags.stream().mapToDouble(GenreFeatures.Magnitude::magnitude).toArray();
        return new SvgChart("Genre feature magnitudes", "genre", "‖f_k‖").bars("‖f_k‖", labels, v)
                .render(ReportPage.W, ReportPage.H);
    }

    static String norms(ItemModel m, int minRatings) {
        List<Double> v = new ArrayList<>();
        for (int i = 0; i < m.size(); i++) {
            if (m.counts()[i] >= minRatings) {
                v.add(m.norm(i));
            }
        }
        Histograms.Bins b = Histograms.uniform(v.stream().mapToDouble(Double::doubleValue).toArray(), 30);
        return new SvgChart("Item factor norms", "‖V_i‖", "items").histogram("items", b.edges(), toDouble(b.counts()))
                .render(ReportPage.W, ReportPage.H);
    }

    /** The map, one series per frequent first genre; the most rated items when there are too many. */
    static String map(EmbeddingMap.Result map) {
        List<EmbeddingMap.Point> pts = map.points();
        Map<String, Integer> freq = new LinkedHashMap<>();
        pts.forEach(p -> freq.merge(p.genre().isEmpty() ? "(no genre)" : p.genre(), 1, Integer::sum));
        List<String> top = freq.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue())
                .limit(MAP_GENRES).map(Map.Entry::getKey).toList();
        Map<String, List<EmbeddingMap.Point>> groups = new LinkedHashMap<>();
        top.forEach(g -> groups.put(g, new ArrayList<>()));
        groups.put("other", new ArrayList<>());
        int step = Math.max(1, (pts.size() + MAX_POINTS - 1) / MAX_POINTS);
        for (int k = 0; k < pts.size(); k += step) {
            EmbeddingMap.Point p = pts.get(k);
            String g = p.genre().isEmpty() ? "(no genre)" : p.genre();
            groups.getOrDefault(g, groups.get("other")).add(p);
        }
        SvgChart c = new SvgChart("Item embeddings (PCA, x += 0.1·b_i)", "first principal axis + 0.1·b_i",
                "second principal axis");
        for (Map.Entry<String, List<EmbeddingMap.Point>> e : groups.entrySet()) {
            List<EmbeddingMap.Point> g = e.getValue();
            if (g.isEmpty()) {
                continue;
            }
            c.points(e.getKey(), g.stream().mapToDouble(EmbeddingMap.Point::x).toArray(),
                    g.stream().mapToDouble(EmbeddingMap.Point::y).toArray(),
                    g.stream().map(p -> p.title() == null ? "item " + p.id() : p.title()).toArray(String[]::new), 3);
        }
        if (pts.isEmpty()) {
            c.points("no items", new double[0], new double[0]);
        }
        return c.render(ReportPage.W, ReportPage.H + 60);
    }

    static String biasByRank(BiasPopularity.Result r) {
        int n = r.counts().length;
        int step = Math.max(1, (n + MAX_POINTS - 1) / MAX_POINTS);
        List<double[]> pts = new ArrayList<>();
        for (int k = 0; k < n; k += step) {
            pts.add(new double[] {k + 1, r.biases()[k]});
        }
        return new SvgChart("Item bias by popularity rank", "popularity rank (most rated first)", "item bias b_i")
                .scales(SvgChart.Scale.LOG, SvgChart.Scale.LINEAR)
                .points("b_i", column(pts, 0), column(pts, 1), null, 1.8).render(ReportPage.W, ReportPage.H);
    }

    static String curve(ReportData.Curve curve) {
        SvgChart c = new SvgChart("Convergence", "sweep", curve.yLabel());
        for (int s = 0; s < curve.names().size(); s++) {
            double[] y = curve.values().get(s);
            double[] x = new double[y.length];
            for (int k = 0; k < y.length; k++) {
                x[k] = k + 1;
            }
            c.line(curve.names().get(s), x, y);
        }
        return c.render(ReportPage.W, ReportPage.H);
    }

    static String variance(double[] v, String title, String what) {
        Histograms.Bins b = Histograms.uniform(v, 40);
        return new SvgChart(title, "tr(S_VV)/D", what).histogram(what, b.edges(), toDouble(b.counts()))
                .render(ReportPage.W, ReportPage.H);
    }

    private static double[] toDouble(long[] a) {
        double[] d = new double[a.length];
        for (int k = 0; k < a.length; k++) {
            d[k] = a[k];
        }
        return d;
    }

    private static double[] column(List<double[]> pts, int c) {
        return pts.stream().mapToDouble(p -> p[c]).toArray();
    }
}
