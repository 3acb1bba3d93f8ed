package io.foldin.analysis;

import java.util.Arrays;

/**
 * Item bias against popularity (seed 002 Fig. 7–8): items ranked from most to least rated, with each one's
 * bias b_i. The seed finds the bias growing as the count falls, so rare items float to the top of a ranking
 * unless the bias is shrunk or down-weighted.
 */
public final class BiasPopularity {
    private BiasPopularity() {
    }

    /**
     * {@code counts[r]} and {@code biases[r]} of the item at rank r + 1 (ties in count by item index), and
     * {@code meanBiasByDecade[k]}: the mean bias of items with 10^k to 10^(k+1) − 1 ratings (NaN when none).
     */
    public record Result(int[] counts, double[] biases, double[] meanBiasByDecade) {
    }

    public static Result of(ItemModel model) {
        int n = model.size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> model.counts()[a] != model.counts()[b]
                ? Integer.compare(model.counts()[b], model.counts()[a]) : Integer.compare(a, b));
        int[] counts = new int[n];
        double[] biases = new double[n];
        int decades = 1;
        for (int r = 0; r < n; r++) {
            counts[r] = model.counts()[order[r]];
            biases[r] = model.bias(order[r]);
            decades = Math.max(decades, decade(counts[r]) + 1);
        }
        double[] sum = new double[decades];
        int[] num = new int[decades];
        for (int r = 0; r < n; r++) {
            if (counts[r] > 0) {
                sum[decade(counts[r])] += biases[r];
                num[decade(counts[r])]++;
            }
        }
        double[] mean = new double[decades];
        for (int k = 0; k < decades; k++) {
            mean[k] = num[k] == 0 ? Double.NaN : sum[k] / num[k];
        }
        return new Result(counts, biases, mean);
    }

    /** k with 10^k ≤ c < 10^(k+1); 0 for c ≤ 9. */
    static int decade(int c) {
        return c < 10 ? 0 : (int) Math.floor(Math.log10(c) + 1e-12);
    }
}
