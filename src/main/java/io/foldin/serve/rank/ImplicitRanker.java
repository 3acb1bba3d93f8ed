package io.foldin.serve.rank;

import io.foldin.model.Factors;
import io.foldin.model.ImplicitAlsModel;
import io.foldin.model.ImplicitParams;
import io.foldin.stream.live.ImplicitTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * The live implicit-ALS model's recommendations (design §1.9), over the live item table Y and its Gram YᵀY: the
 * one place serving scores implicit items. The score is {@link ImplicitAlsModel#score} ({@code s_ui = x_uᵀ y_i}, as
 * offline evaluation ranks), the selection {@link TopK} (as explicit serving's), and a transient user's vector is
 * {@link ImplicitAlsModel#foldInTransient}'s exact solve
 * {@code x = (YᵀY + λI + Σ α w y yᵀ)⁻¹ Σ (1 + α w) y} against the live Y and YᵀY.
 *
 * <p>The scan is one pass over the table's rows on the calling thread: O(items · D), e.g. 9.7k x 32 multiply-adds
 * for ml-latest-small. Holds a workspace: one instance per thread.
 */
public final class ImplicitRanker {
    /** One recommended item: {@code score = x_uᵀ y_i}. */
    public record Scored(int itemId, double score) {
    }

    /**
     * A transient user: its vector (null when no listed item has a vector) and the listed ids the table has no
     * vector for, which the solve ignores.
     */
    public record Transient(float[] vector, List<Integer> ignored) {
    }

    private final ImplicitParams params;
    private final int d;
    private final TopK top = new TopK(64);
    private final double[] gram;

    public ImplicitRanker(ImplicitParams params) {
        this.params = params;
        this.d = params.factors();
        this.gram = new double[d * (d + 1) / 2];
    }

    /**
     * The k items of highest {@code x_uᵀ y_i} (ties by lower item id) among the table's rows that
     * {@code excluded} does not name; {@code x} holds D floats.
     */
    public List<Scored> top(ImplicitTable items, float[] x, int k, IntPredicate excluded) {
        check(items);
        top.reset(k);
        items.forEach((id, y, off) -> {
            if (!excluded.test(id)) {
                // TopK keeps (score, int) pairs and breaks ties by the lower int: the id here, not a row
                top.offer((float) ImplicitAlsModel.score(x, 0, y, off, d), id);
            }
        });
        top.sortDescending();
        List<Scored> out = new ArrayList<>(top.size());
        for (int r = 0; r < top.size(); r++) {
            out.add(new Scored(top.row(r), top.score(r)));
        }
        return out;
    }

    /**
     * The vector of a user known only by {@code itemIds} and their weights (each > 0 and finite; a repeated id's
     * weights add up, as interactions on one pair do: {@code c = 1 + α Σw}). Ids without a row in the table are
     * ignored (reported); with none left the vector is null.
     *
     * @throws IllegalArgumentException for a weight that is not positive and finite
     */
    public Transient solveTransient(ImplicitTable items, int[] itemIds, float[] weights) {
        check(items);
        if (itemIds.length != weights.length) {
            throw new IllegalArgumentException(itemIds.length + " items but " + weights.length + " weights");
        }
        Map<Integer, Float> summed = new LinkedHashMap<>();
        for (int k = 0; k < itemIds.length; k++) {
            if (!(weights[k] > 0) || Float.isInfinite(weights[k])) {
                throw new IllegalArgumentException("weight " + weights[k] + " of item " + itemIds[k]
                        + " is not positive and finite");
            }
            summed.merge(itemIds[k], weights[k], Float::sum);
        }
        // the listed items' vectors as a small Factors, so the solve is foldInTransient's own
        Factors listed = new Factors(summed.size(), d);
        int[] index = new int[summed.size()];
        float[] w = new float[summed.size()];
        float[] row = new float[d];
        List<Integer> ignored = new ArrayList<>();
        int n = 0;
        for (Map.Entry<Integer, Float> e : summed.entrySet()) {
            if (!items.get(e.getKey(), row)) {
                ignored.add(e.getKey());
                continue;
            }
            System.arraycopy(row, 0, listed.data(), listed.offset(n), d);
            index[n] = n;
            w[n++] = e.getValue();
        }
        if (n == 0) {
            return new Transient(null, ignored);
        }
        items.gram(gram);
        float[] x = new float[d];
        new ImplicitAlsModel(params, new Factors(0, d), listed)
                .foldInTransient(gram, java.util.Arrays.copyOf(index, n), java.util.Arrays.copyOf(w, n), x);
        return new Transient(x, ignored);
    }

    private void check(ImplicitTable items) {
        if (items.factors() != d) {
            throw new IllegalArgumentException("table of D = " + items.factors() + " for a model of D = " + d);
        }
    }
}
