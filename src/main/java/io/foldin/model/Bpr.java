package io.foldin.model;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Bayesian personalised ranking (Rendle et al. 2009; seed 003 §15) for matrix factorisation with item biases:
 * <pre>
 *   ŷ_ui   = b_i + U_u·V_i                       (a user bias would cancel in every difference below)
 *   x̂_uij  = ŷ_ui − ŷ_uj = b_i − b_j + U_u·(V_i − V_j)
 *   f(u,i,j) = ln σ(x̂_uij) − λ/2 (|U_u|² + |V_i|² + |V_j|²) − λ_b/2 (b_i² + b_j²)
 *   BPR-OPT = E_{(u,i) ~ S, j ~ I_S \ I_u⁺} f(u,i,j)
 * </pre>
 * maximised by SGD on one sampled triplet at a time, each parameter moved along the gradient of f at the same
 * (old) values, with g = ∂ ln σ(x)/∂x = σ(−x) = 1 / (1 + e^x):
 * <pre>
 *   U_u ← U_u + α (g (V_i − V_j) − λ U_u)
 *   V_i ← V_i + α (g U_u − λ V_i)          V_j ← V_j + α (−g U_u − λ V_j)
 *   b_i ← b_i + α (g − λ_b b_i)            b_j ← b_j + α (−g − λ_b b_j)
 * </pre>
 * An epoch is |S| steps, (u, i) drawn uniformly from S and j from {@link BprParams.Negatives} (rejecting j ∈ I_u⁺);
 * with {@link BprParams#negativeSamples} K > 1, K candidates are drawn and j is the one with the highest ŷ_uj.
 * Negatives come from the catalogue I_S, the items with at least one interaction in S: an item the model has never
 * seen a positive of is unknown to it, is never pushed down as a negative and keeps its start state (bias 0, a
 * small random vector), scoring about the prior mean 0. (Drawing j from every item of the index instead would push
 * items seen only in a test split to the bottom: on ml-latest-small that costs about 0.03 AUC, RESULTS.md.)
 * {@link #observe} applies {@link BprParams#stepsPerEvent} steps for one new interaction, the online update. Single
 * threaded and seeded, so the same data and seed give the same model bit for bit. Every vector starts at
 * N(0, 0.1²) per entry drawn from a stream seeded by the model seed and the entity's index (so a user or item that
 * first appears online starts where it would have in a batch fit), biases at 0.
 */
public final class Bpr implements ImplicitScorer {
    private static final int NEGATIVE_TRIES = 64;

    private final BprParams params;
    private final int d;
    private final long seed;
    private float[] user;
    private float[] item;
    private float[] bias;
    private int numUsers;
    private int numItems;

    private Bpr(BprParams params, long seed) {
        this.params = params;
        this.d = params.factors();
        this.seed = seed;
        this.user = new float[0];
        this.item = new float[0];
        this.bias = new float[0];
    }

    /** A fresh model over {@code numUsers} x {@code numItems}. */
    public static Bpr initial(BprParams params, int numUsers, int numItems, long seed) {
        Bpr m = new Bpr(params, seed);
        m.ensure(numUsers, numItems);
        return m;
    }

    /**
     * One SGD step on (u, i, j) as in the class comment; returns ln σ(x̂_uij) before the step.
     */
    public double step(int u, int i, int j) {
        int ou = u * d;
        int oi = i * d;
        int oj = j * d;
        double x = bias[i] - bias[j];
        for (int a = 0; a < d; a++) {
            x += user[ou + a] * (item[oi + a] - item[oj + a]);
        }
        double g = 1 / (1 + Math.exp(x));
        double lr = params.learningRate();
        double reg = params.regularization();
        for (int a = 0; a < d; a++) {
            float uu = user[ou + a];
            float vi = item[oi + a];
            float vj = item[oj + a];
            user[ou + a] = (float) (uu + lr * (g * (vi - vj) - reg * uu));
            item[oi + a] = (float) (vi + lr * (g * uu - reg * vi));
            item[oj + a] = (float) (vj + lr * (-g * uu - reg * vj));
        }
        double breg = params.biasRegularization();
        bias[i] = (float) (bias[i] + lr * (g - breg * bias[i]));
        bias[j] = (float) (bias[j] + lr * (-g - breg * bias[j]));
        return logSigmoid(x);
    }

    /**
     * One epoch: |S| steps on sampled triplets. Returns the epoch's loss, the mean of −ln σ(x̂_uij) over its steps
     * (before each step), a cheap running estimate of the data term of −BPR-OPT.
     */
    public double epoch(Interactions s, SplittableRandom rnd) {
        ensure(s.numUsers(), s.numItems());
        int n = s.size();
        double loss = 0;
        int steps = 0;
        for (int t = 0; t < n; t++) {
            int p = rnd.nextInt(n);
            int u = s.pairUser(p);
            int j = hardNegative(s, u, rnd);
            if (j >= 0) {
                loss -= step(u, s.pairItem(p), j);
                steps++;
            }
        }
        return steps == 0 ? 0 : loss / steps;
    }

    /**
     * The online update for a new interaction (u, i): adds it to {@code s} (growing the model for a new user or
     * item) and applies {@link BprParams#stepsPerEvent} steps on (u, i, j), each with a fresh negative j.
     * Returns the mean ln σ(x̂_uij) before those steps.
     */
    public double observe(Interactions s, int u, int i, SplittableRandom rnd) {
        s.add(u, i);
        ensure(s.numUsers(), s.numItems());
        double sum = 0;
        int steps = 0;
        for (int t = 0; t < params.stepsPerEvent(); t++) {
            int j = hardNegative(s, u, rnd);
            if (j >= 0) {
                sum += step(u, i, j);
                steps++;
            }
        }
        return steps == 0 ? 0 : sum / steps;
    }

    /** The highest-scoring of {@link BprParams#negativeSamples} negatives for u (one draw when K = 1). */
    private int hardNegative(Interactions s, int u, SplittableRandom rnd) {
        int best = negative(s, u, rnd);
        double bestScore = best < 0 || params.negativeSamples() == 1 ? 0 : score(u, best);
        for (int k = 1; k < params.negativeSamples() && best >= 0; k++) {
            int j = negative(s, u, rnd);
            double y = j < 0 ? Double.NEGATIVE_INFINITY : score(u, j);
            if (y > bestScore) {
                best = j;
                bestScore = y;
            }
        }
        return best;
    }

    /**
     * A negative for u: an item not in I_u⁺ drawn by the configured sampler (uniform over I_S, or the item of a
     * uniformly drawn pair of S); -1 when none was found in {@value #NEGATIVE_TRIES} draws.
     */
    public int negative(Interactions s, int u, SplittableRandom rnd) {
        for (int t = 0; t < NEGATIVE_TRIES; t++) {
            int j = params.negatives() == BprParams.Negatives.UNIFORM ? s.catalogueItem(rnd.nextInt(s.catalogueSize()))
                    : s.pairItem(rnd.nextInt(s.size()));
            if (!s.contains(u, j)) {
                return j;
            }
        }
        return -1;
    }

    /**
     * BPR-OPT exactly, under uniform negatives: {@code (1/|S|) Σ_{(u,i)∈S} (1/|I_S \ I_u⁺|) Σ_{j ∈ I_S \ I_u⁺} f(u,i,j)}.
     * O(|S| · |I| · D): for tests and small data.
     */
    public double objective(Interactions s) {
        double total = 0;
        for (int p = 0; p < s.size(); p++) {
            int u = s.pairUser(p);
            int i = s.pairItem(p);
            double sum = 0;
            int negatives = 0;
            for (int j = 0; j < numItems; j++) {
                if (s.contains(u, j) || !s.inCatalogue(j)) {
                    continue;
                }
                double x = score(u, i) - score(u, j);
                double norms = sq(user, u * d) + sq(item, i * d) + sq(item, j * d);
                sum += logSigmoid(x) - params.regularization() / 2 * norms
                        - params.biasRegularization() / 2 * (bias[i] * bias[i] + bias[j] * bias[j]);
                negatives++;
            }
            total += negatives == 0 ? 0 : sum / negatives;
        }
        return total / s.size();
    }

    /** ŷ_ui = b_i + U_u·V_i; a user without a vector scores b_i. */
    public double score(int u, int i) {
        double s = bias[i];
        if (u >= 0 && u < numUsers) {
            for (int a = 0; a < d; a++) {
                s += user[u * d + a] * item[i * d + a];
            }
        }
        return s;
    }

    @Override
    public int items() {
        return numItems;
    }

    @Override
    public void scores(int u, double[] out) {
        boolean known = u >= 0 && u < numUsers;
        int ou = u * d;
        for (int i = 0; i < numItems; i++) {
            double s = bias[i];
            if (known) {
                int oi = i * d;
                for (int a = 0; a < d; a++) {
                    s += user[ou + a] * item[oi + a];
                }
            }
            out[i] = s;
        }
    }

    public BprParams params() {
        return params;
    }

    public int users() {
        return numUsers;
    }

    /** A copy of U_u. */
    public float[] userVector(int u) {
        return Arrays.copyOfRange(user, u * d, u * d + d);
    }

    /** A copy of V_i. */
    public float[] itemVector(int i) {
        return Arrays.copyOfRange(item, i * d, i * d + d);
    }

    public float itemBias(int i) {
        return bias[i];
    }

    /** Sets U_u, V_i, b_i (tests set a state to check a step against a hand computation). */
    public void set(int u, float[] userVector, int i, float[] itemVector, float itemBias) {
        System.arraycopy(userVector, 0, user, u * d, d);
        System.arraycopy(itemVector, 0, item, i * d, d);
        bias[i] = itemBias;
    }

    /** ln σ(x) = −ln(1 + e^{−x}), computed without overflow for large |x|. */
    static double logSigmoid(double x) {
        return x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x));
    }

    private static double sq(float[] a, int off, int d) {
        double s = 0;
        for (int k = 0; k < d; k++) {
            s += a[off + k] * a[off + k];
        }
        return s;
    }

    private double sq(float[] a, int off) {
        return sq(a, off, d);
    }

    /** Grows to at least the given counts; new vectors from their own seeded stream. */
    private void ensure(int users, int items) {
        if (users > numUsers) {
            user = grow(user, numUsers, users, seed);
            numUsers = users;
        }
        if (items > numItems) {
            item = grow(item, numItems, items, ~seed);
            bias = bias.length >= items ? bias : Arrays.copyOf(bias, Math.max(items, 2 * bias.length));
            numItems = items;
        }
    }

    private float[] grow(float[] a, int from, int to, long sideSeed) {
        // capacity doubles, so users arriving one by one online cost amortised O(D) each
        float[] b = (long) to * d <= a.length ? a : Arrays.copyOf(a, Math.multiplyExact(Math.max(to, 2 * (a.length / d)), d));
        for (int e = from; e < to; e++) {
            SplittableRandom r = new SplittableRandom(sideSeed * 0x9E3779B97F4A7C15L + e);
            for (int k = 0; k < d; k++) {
                b[e * d + k] = (float) (r.nextGaussian() * BprParams.INIT_SCALE);
            }
        }
        return b;
    }
}
