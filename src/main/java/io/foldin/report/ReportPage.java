package io.foldin.report;

import io.foldin.analysis.BiasPopularity;
import io.foldin.analysis.DummyUser;
import io.foldin.analysis.EmbeddingMap;
import io.foldin.analysis.GenreFeatures;
import io.foldin.analysis.ItemModel;
import io.foldin.analysis.Polarizing;
import io.foldin.analysis.PowerLaw;
import io.foldin.analysis.Ranked;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The analyses of seeds 002 and 003 as one self-contained HTML page: inline SVG charts ({@link Charts}) and
 * small tables, no script, no stylesheet or font from the network. Sections whose input is missing (the live
 * model has no ratings in memory) say so instead of showing a chart.
 */
public final class ReportPage {
    static final int W = 640;
    static final int H = 380;

    private final StringBuilder out = new StringBuilder(1 << 16);

    private ReportPage() {
    }

    public static String render(ReportData data) {
        return new ReportPage().page(data);
    }

    private String page(ReportData data) {
        ItemModel m = data.model();
        ReportData.Settings set = data.settings();
        out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>foldin report: ").append(Html.escape(data.source())).append("</title><style>")
                .append("body{font-family:sans-serif;margin:24px;color:#222;max-width:1360px}")
                .append("section{display:inline-block;vertical-align:top;width:645px;margin:0 8px 24px 0}")
                .append("table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:3px 8px;")
                .append("text-align:left}td.n{text-align:right}p.note{font-size:13px;color:#555}</style></head><body>\n")
                .append("<h1>foldin report: ").append(Html.escape(data.source())).append("</h1>\n");
        table(List.of("", ""), data.summary().entrySet().stream()
                .map(e -> List.of(e.getKey(), e.getValue())).toList());

        if (data.ratings() != null) {
            ReportData.Ratings r = data.ratings();
            section("Rating histogram", "Ratings by value (seed 002 Fig. 1, seed 003 Fig. 2).",
                    Charts.histogram(r.histogram(), "Rating histogram", "rating", "ratings"));
            PowerLaw.Fit users = PowerLaw.fit(r.perUser());
            section("Ratings per user", fitNote(users), Charts.rankPlot(r.perUser(), users,
                    "Ratings per user by rank", "user rank", "ratings"));
        } else {
            missing("Rating histogram and ratings per user", "the live model keeps no ratings in memory "
                    + "(they are in the partitioned stores); run foldin report on the ratings file");
        }
        int[] perItem = data.ratings() != null ? data.ratings().perItem() : m.counts();
        PowerLaw.Fit items = PowerLaw.fit(perItem);
        section("Ratings per item", fitNote(items), Charts.rankPlot(perItem, items,
                "Ratings per item by rank", "item rank", "ratings"));

        List<GenreFeatures.Magnitude> mags = GenreFeatures.magnitudes(m.features());
        if (mags.isEmpty()) {
            missing("Genre feature magnitudes", "no genre features were learned (no sweep with a catalogue yet)");
        } else {
            section("Genre feature magnitudes", "‖f_k‖ of each learned genre feature of the hierarchical prior, "
                    + "largest first (seed 003 Table 5).", Charts.magnitudes(mags));
        }
        List<Ranked> cold = GenreFeatures.coldStartNeighbours(m, set.coldGenres(), 5, set.minRatings());
        String genres = String.join(" + ", set.coldGenres());
        out.append("<section><h2>Cold start: a new ").append(Html.escape(genres)).append(" item</h2>")
                .append("<p class=\"note\">Its vector is the prior mean m = |F|<sup>-1/2</sup> Σ f<sub>k</sub>; ")
                .append("the items with the largest cosine similarity to m (seed 003 Table 4), among items with ≥ ")
                .append(set.minRatings()).append(" ratings.</p>");
        rankedTable(cold, "similarity", "no features for these genres");
        out.append("</section>\n");

        Polarizing.Result pol = Polarizing.of(m, 5, set.minRatings());
        section("Factor norms", "‖V_i‖ of the items with ≥ " + set.minRatings() + " ratings; the largest are the "
                + "most polarizing (seed 003 §14.1).", Charts.norms(m, set.minRatings()));
        out.append("<section><h2>Most and least polarizing items</h2><p class=\"note\">By ‖V_i‖ (seed 003 Table 7).</p>");
        rankedTable(pol.most(), "‖V‖ (most)", "no item has enough ratings");
        rankedTable(pol.least(), "‖V‖ (least)", "no item has enough ratings");
        out.append("</section>\n");

        EmbeddingMap.Result map = EmbeddingMap.of(m, set.minRatings());
        section("Item embeddings in 2-D", String.format(Locale.ROOT, "Items with ≥ %d ratings projected on the two "
                + "principal axes of their vectors (variance %.3g and %.3g), x shifted by 0.1·b_i (seed 003 §13, "
                + "eq. 26), coloured by first genre.", set.minRatings(), map.variance()[0], map.variance()[1]),
                Charts.map(map));

        dummyUser(m, set);
        BiasPopularity.Result bp = BiasPopularity.of(m);
        section("Item bias against popularity", "b_i of every item against its popularity rank, most rated first "
                + "(seed 002 Fig. 8): rare items get the extreme biases.", Charts.biasByRank(bp));

        if (data.curve() != null) {
            section("Convergence", "Per full sweep (seed 003 Fig. 6 and 11).", Charts.curve(data.curve()));
        } else {
            missing("Convergence", "the live model keeps only its last sweep's holdout RMSE (see the summary)");
        }
        if (data.variance() != null) {
            ReportData.Variance v = data.variance();
            String how = "tr(S_VV)/D per entity, " + v.method() + " (seed 003 Fig. 12).";
            section("Item posterior variance", how, Charts.variance(v.items(), "Item posterior variance", "items"));
            section("User posterior variance", how, Charts.variance(v.users(), "User posterior variance", "users"));
        } else {
            missing("Posterior variance", "needs each item's Gram statistics, which live in the item stores");
        }
        out.append("</body></html>\n");
        return out.toString();
    }

    private void dummyUser(ItemModel m, ReportData.Settings set) {
        int item = DummyItems.pick(m, set.dummyItem());
        out.append("<section><h2>The dummy user</h2>");
        if (item < 0) {
            out.append("<p class=\"note\">No item to rate.</p></section>\n");
            return;
        }
        DummyUser.Result r = DummyUser.of(m, item, 5f, 10, set.minRatings());
        out.append("<p class=\"note\">A new user rates <b>").append(Html.escape(m.titles()[item]))
                .append("</b> 5 stars, is folded in with the items fixed, and ranks the items with ≥ ")
                .append(set.minRatings()).append(" ratings by U·V<sub>m</sub> + 0.05 b<sub>m</sub> ")
                .append("(seed 003 §14, Table 6).</p>");
        rankedTable(r.top(), "score", "no item to rank");
        out.append("</section>\n");
    }

    private static String fitNote(PowerLaw.Fit f) {
        return String.format(Locale.ROOT, "Log-log rank plot; fitted slope %.2f over ranks %,d–%,d (the 20%%–50%% "
                + "body of the curve; seed 003 Fig. 1 reports −1.93 for users and −0.62 for items on ml-32m).",
                f.slope(), f.fromRank(), f.toRank());
    }

    private void section(String heading, String note, String svg) {
        out.append("<section><h2>").append(Html.escape(heading)).append("</h2><p class=\"note\">")
                .append(Html.escape(note)).append("</p>").append(svg).append("</section>\n");
    }

    private void missing(String heading, String why) {
        out.append("<section><h2>").append(Html.escape(heading)).append("</h2><p class=\"note\">Not shown: ")
                .append(Html.escape(why)).append(".</p></section>\n");
    }

    private void rankedTable(List<Ranked> rows, String valueHeading, String empty) {
        if (rows.isEmpty()) {
            out.append("<p class=\"note\">").append(Html.escape(empty)).append(".</p>");
            return;
        }
        List<List<String>> cells = new java.util.ArrayList<>();
        for (int k = 0; k < rows.size(); k++) {
            Ranked r = rows.get(k);
            cells.add(List.of(Integer.toString(k + 1), r.title() == null ? "item " + r.id() : r.title(),
                    Integer.toString(r.id()), String.format(Locale.ROOT, "%.3f", r.value())));
        }
        table(List.of("rank", "title", "item id", valueHeading), cells);
    }

    private void table(List<String> headings, List<List<String>> rows) {
        out.append("<table>");
        if (headings.stream().anyMatch(h -> !h.isEmpty())) {
            out.append("<tr>");
            headings.forEach(h -> out.append("<th>").append(Html.escape(h)).append("</th>"));
            out.append("</tr>");
        }
        for (List<String> row : rows) {
            out.append("<tr>");
            for (String c : row) {
                boolean number = c.matches("-?[0-9.,]+");
                out.append(number ? "<td class=\"n\">" : "<td>").append(Html.escape(c)).append("</td>");
            }
            out.append("</tr>");
        }
        out.append("</table>\n");
    }

    /** Summary rows shared by the offline and live pages. */
    public static void summarise(Map<String, String> rows, ItemModel m) {
        rows.put("items", String.format(Locale.ROOT, "%,d", m.size()));
        rows.put("factors D", Integer.toString(m.d()));
        rows.put("global mean μ", String.format(Locale.ROOT, "%.4f", m.mu()));
        rows.put("λ, τ, γ", String.format(Locale.ROOT, "%.4g, %.4g, %.4g", m.params().lambda(), m.params().tau(),
                m.params().gamma()));
        rows.put("genre features", Integer.toString(m.features().size()));
    }
}
