package io.foldin.serve.http;

import io.foldin.serve.rank.TopK;
import io.foldin.stream.live.ItemCatalog;
import io.foldin.stream.live.ItemFactorTable;
import io.foldin.stream.live.LiveModel;

import java.util.ArrayList;
import java.util.List;

/**
 * The ranking of seed 003 §16.1.1 (Algorithm 9), an experiment variant option: each item's
 * {@code μ + b_u + biasWeight·b_i + U·V_i} times the genre boost {@code 1 + 0.1·|genres|} (catalogue
 * genres; 1 for an item without any). Not a linear score, so not the batched scan: one scalar pass over
 * the item table, on the caller's thread (ml-latest-small's 9.7k items: well under a millisecond).
 */
final class GenreBoost {
    private GenreBoost() {
    }

    static double boost(ItemCatalog.Item item) {
        return item == null ? 1 : 1 + 0.1 * item.genres().size();
    }

    static List<Recommender.Scored> rank(LiveModel live, float[] user, Recommender.Query q, Recommender.Rated rated) {
        ItemFactorTable.Snapshot tab = live.items().snapshot();
        int d = live.factors();
        int stride = d + 1;
        double base = live.epoch().mu() + user[d];
        TopK top = new TopK(q.k());
        top.reset(Math.max(1, Math.min(q.k(), tab.size())));
        float[] data = tab.data();
        for (int row = 0; row < tab.size(); row++) {
            int item = tab.ids()[row];
            if (tab.counts()[row] < q.minRatings() || rated.rated(item)) {
                continue;
            }
            int o = row * stride;
            double s = base + q.biasWeight() * data[o + d];
            for (int a = 0; a < d; a++) {
                s += (double) user[a] * data[o + a];
            }
            top.offer((float) (s * boost(live.catalog().get(item))), row);
        }
        top.sortDescending();
        List<Recommender.Scored> out = new ArrayList<>(top.size());
        for (int rank = 0; rank < top.size(); rank++) {
            int row = top.row(rank);
            int o = row * stride;
            double p = base + data[o + d];
            for (int a = 0; a < d; a++) {
                p += (double) user[a] * data[o + a];
            }
            out.add(new Recommender.Scored(tab.ids()[row], top.score(rank), (float) p));
        }
        return out;
    }
}
