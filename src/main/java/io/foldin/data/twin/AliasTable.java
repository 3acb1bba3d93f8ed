package io.foldin.data.twin;

/**
 * Walker's alias method (Vose's construction): after O(n) set-up, draws index i with probability
 * w_i / Σw in O(1) — one uniform column and one biased coin.
 */
final class AliasTable {
    private final double[] prob;
    private final int[] alias;

    AliasTable(double[] weights) {
        int n = weights.length;
        if (n == 0) {
            throw new IllegalArgumentException("no weights");
        }
        double sum = 0;
        for (double w : weights) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("weight " + w);
            }
            sum += w;
        }
        if (sum <= 0) {
            throw new IllegalArgumentException("all weights are zero");
        }
        prob = new double[n];
        alias = new int[n];
        double[] scaled = new double[n];
        int[] small = new int[n];
        int[] large = new int[n];
        int ns = 0;
        int nl = 0;
        for (int i = 0; i < n; i++) {
            scaled[i] = weights[i] * n / sum;
            if (scaled[i] < 1) {
                small[ns++] = i;
            } else {
                large[nl++] = i;
            }
        }
        while (ns > 0 && nl > 0) {
            int s = small[--ns];
            int l = large[--nl];
            prob[s] = scaled[s];
            alias[s] = l;
            scaled[l] = (scaled[l] + scaled[s]) - 1;
            if (scaled[l] < 1) {
                small[ns++] = l;
            } else {
                large[nl++] = l;
            }
        }
        // whatever is left is 1 up to rounding
        while (nl > 0) {
            int l = large[--nl];
            prob[l] = 1;
            alias[l] = l;
        }
        while (ns > 0) {
            int s = small[--ns];
            prob[s] = 1;
            alias[s] = s;
        }
    }

    int size() {
        return prob.length;
    }

    int sample(SplitMix rng) {
        int i = rng.nextInt(prob.length);
        return rng.nextDouble() < prob[i] ? i : alias[i];
    }
}
