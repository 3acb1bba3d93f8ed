package io.foldin.data.twin;

import java.util.Arrays;

/**
 * Draws a user's items without replacement, each next item with probability ∝ its popularity
 * weight among the items not yet taken (successive sampling).
 *
 * <p>Two exact methods for the same distribution, switched by expected cost. Rejection: draw from
 * the alias table of all items and throw back what the user already has (a bitset); each new item
 * costs {@code W / (W − W_taken)} draws, cheap until the user has taken most of the popular mass.
 * Exponential keys (Efraimidis and Spirakis, 2006): give every untaken item the key
 * {@code E_i / w_i}, E_i ~ Exp(1), and take the smallest; a pass over all I items, which heavy
 * users (thousands of items, most of the popular mass gone) need. Conditioned on the items taken so
 * far, the keys continue the same successive sampling, so the switch is exact. The method is chosen
 * by expected cost, switching when the remaining rejection draws would exceed 2 I.
 *
 * <p>Not thread-safe: one sampler (one bitset) per worker thread; the weights are shared read-only.
 */
final class ItemSampler {
    private final AliasTable alias;
    private final double[] weight;
    private final double total;
    private final long[] taken;
    private double[] keys;

    ItemSampler(AliasTable alias, double[] weight, double total) {
        this.alias = alias;
        this.weight = weight;
        this.total = total;
        this.taken = new long[(weight.length + 63) >>> 6];
    }

    /**
     * Completes {@code out[from .. from+k)} given its first {@code have} entries (distinct items the
     * user must rate) with {@code k − have} further distinct items.
     */
    void sample(SplitMix rng, int[] out, int from, int have, int k) {
        int items = weight.length;
        if (k > items) {
            throw new IllegalArgumentException(k + " distinct items out of " + items);
        }
        double mass = 0;
        for (int j = 0; j < have; j++) {
            int i = out[from + j];
            set(i);
            mass += weight[i];
        }
        int j = have;
        // expected rejection draws for the rest: (k - j) W / (W - W_taken)
        while (j < k && (k - j) * total <= 2.0 * items * (total - mass)) {
            int i = alias.sample(rng);
            if (!isSet(i)) {
                set(i);
                mass += weight[i];
                out[from + j++] = i;
            }
        }
        if (j < k) {
            j = byKeys(rng, out, from, j, k);
        }
        for (int q = 0; q < k; q++) {
            int i = out[from + q];
            taken[i >>> 6] = 0;
        }
    }

    private int byKeys(SplitMix rng, int[] out, int from, int j, int k) {
        int items = weight.length;
        if (keys == null) {
            keys = new double[items];
        }
        double[] sorted = new double[items - j];
        int m = 0;
        for (int i = 0; i < items; i++) {
            if (isSet(i)) {
                keys[i] = Double.POSITIVE_INFINITY;
            } else {
                keys[i] = rng.nextExponential() / weight[i];
                sorted[m++] = keys[i];
            }
        }
        int need = k - j;
        Arrays.sort(sorted, 0, m);
        double cut = sorted[need - 1];
        for (int i = 0; i < items && j < k; i++) {
            if (keys[i] <= cut) {
                set(i);
                out[from + j++] = i;
            }
        }
        return j;
    }

    private boolean isSet(int i) {
        return (taken[i >>> 6] & (1L << i)) != 0;
    }

    private void set(int i) {
        taken[i >>> 6] |= 1L << i;
    }
}
