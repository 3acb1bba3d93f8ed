package io.foldin.model;

import io.foldin.data.RatingMatrix;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Variational Bayes for the biased factor model by coordinate ascent (seed 003 Algorithm 11, with biases and
 * full covariances): every user's q updated with the items' q fixed, then every item's with the users'
 * fixed ({@link VariationalSolver}). Each update is the exact maximiser of the ELBO in that entity's q, and
 * the entities of one side are independent given the other, so the ELBO never decreases (up to the float32
 * rounding of the stored means).
 *
 * <p><b>Expected statistics.</b> For user u over its rated items i ({@link #formExpected}):
 * {@code G_u = Σ_i (y_i y_iᵀ + pad(T_i,VV))}, {@code h_u = Σ_i (x_i y_i − pad(T_i,Vb))},
 * {@code y_i = [E V_i; 1]}, {@code x_i = r_ui − μ − E b_i}; symmetric for items. With all T = 0 this is
 * the MAP statistics of §1.3, and the update is the MAP ALS solve.
 *
 * <p><b>ELBO</b> ({@link #elbo}), with {@code P = diag(τ, …, τ, γ)}, n = D + 1, Ω the training ratings:
 * <pre>
 * L(q) = E_q[log p(R | θ)] + E_q[log p(θ)] + H(q)
 *      = Σ_Ω [½ log(λ/2π) − λ/2 E_q e_ui²]
 *      + Σ_e [½ Σ_k log(P_k/2π) − ½ Σ_k P_k (a_ek² + S_e,kk)]          (every user and item e)
 *      + Σ_e [n/2 (1 + log 2π) + ½ log det S_e]
 * E_q e_ui² = (x_ui − y_iᵀ a_u)² + y_iᵀ S_u y_i + z_uᵀ T_i z_u + tr(S_u,VV T_i,VV)
 * </pre>
 * where {@code e_ui = r_ui − μ − b_u − b_i − U_u·V_i}, {@code x_ui = r_ui − μ − E b_i}, {@code z_u = [E U_u; 1]}:
 * condition on θ_u, take the expectation over ψ_i = [V_i; b_i] (mean and variance of {@code z_uᵀψ_i}), then
 * over θ_u. Gaussian terms only, so L is exact, not estimated.
 *
 * <p><b>Variational EM</b> (optional, {@code learnPrecisions}): after each sweep λ, τ, γ are set to their
 * maximisers of L given q, {@code λ = |Ω| / Σ E e²}, {@code τ = D·E / Σ_e (‖a_e,V‖² + tr S_e,VV)},
 * {@code γ = E / Σ_e (a_eb² + S_e,bb)} (E entities), which cannot lower L either.
 */
public final class VariationalTrainer implements AutoCloseable {
    private static final int BLOCKS_PER_THREAD = 64;
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final int threads;
    private final boolean learnPrecisions;
    private final ExecutorService pool;

    public VariationalTrainer(int threads, boolean learnPrecisions) {
        this.pool = AlsTrainer.sweepPool(threads, "vb-sweep");
        this.threads = threads;
        this.learnPrecisions = learnPrecisions;
    }

    /** One sweep (users, then items, then the precisions when learned); returns the ELBO after it. */
    public double sweep(VariationalModel model, RatingMatrix ratings) {
        solveUsers(model, ratings.byUser());
        solveItems(model, ratings.byItem());
        return finishSweep(model, ratings.byUser());
    }

    /** After both half-sweeps: the precision update when learned, and the ELBO. */
    public double finishSweep(VariationalModel model, RatingMatrix.Csr byUser) {
        Terms t = terms(model, byUser);
        if (learnPrecisions) {
            model.setParams(t.maximisingParams(model.params()));
        }
        return t.elbo(model.params());
    }

    public void solveUsers(VariationalModel m, RatingMatrix.Csr byUser) {
        halfSweep("user", byUser, m.means().users(), m.users(), m.means().items(), m.items(), m);
    }

    public void solveItems(VariationalModel m, RatingMatrix.Csr byItem) {
        halfSweep("item", byItem, m.means().items(), m.items(), m.means().users(), m.users(), m);
    }

    /**
     * The expected statistics of one CSR row (see the class comment): overwrites g (packed) and h.
     * {@code sum} is a workspace of {@code otherPost.stride()} doubles.
     */
    public static void formExpected(RowGram gram, int[] cols, float[] vals, int from, int end, Factors other,
                                    Posterior otherPost, double mu, double[] g, double[] h, double[] sum) {
        gram.form(cols, vals, from, end, other.data(), other.stride(), mu, g, h);
        java.util.Arrays.fill(sum, 0, otherPost.stride(), 0.0);
        for (int k = from; k < end; k++) {
            otherPost.accumulate(cols[k], sum);
        }
        otherPost.applyPadded(sum, g, h);
    }

    private void halfSweep(String side, RatingMatrix.Csr rows, Factors self, Posterior selfPost, Factors other,
                           Posterior otherPost, VariationalModel m) {
        AlsParams params = m.params();
        double mu = m.means().mu();
        int numRows = Math.min(rows.rows(), self.count());
        int[] bounds = AlsTrainer.balancedBlocks(rows.start(), numRows, threads * BLOCKS_PER_THREAD);
        AtomicInteger next = new AtomicInteger();
        List<Future<Integer>> results = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            results.add(pool.submit(() -> {
                int n = params.dim();
                VariationalSolver solver = new VariationalSolver(params);
                RowGram gram = RowGram.create(n);
                double[] g = new double[PackedGram.size(n)];
                double[] h = new double[n];
                double[] sum = new double[otherPost.stride()];
                int[] start = rows.start();
                for (int b; (b = next.getAndIncrement()) < bounds.length - 1; ) {
                    for (int r = bounds[b]; r < bounds[b + 1]; r++) {
                        formExpected(gram, rows.cols(), rows.values(), start[r], start[r + 1], other, otherPost, mu,
                                g, h, sum);
                        if (!solver.solve(g, h, null, 0, self.data(), self.offset(r), selfPost, r)) {
                            return r;
                        }
                    }
                }
                return -1;
            }));
        }
        AlsTrainer.awaitBlocks(results, side, params);
    }

    /** The ELBO of the model's q under its precisions, over the ratings of {@code byUser}. */
    public static double elbo(VariationalModel model, RatingMatrix.Csr byUser) {
        return terms(model, byUser).elbo(model.params());
    }

    /**
     * The sums the ELBO and the precision updates need: Σ E e², |Ω|, Σ (‖a_V‖² + tr S_VV), Σ (a_b² + S_bb),
     * Σ log det S, the number of entities and D.
     */
    record Terms(double expectedSq, long ratings, double factorSq, double biasSq, double logDetSum, long entities,
                 int d) {
        double elbo(AlsParams p) {
            int n = d + 1;
            double data = ratings * 0.5 * (Math.log(p.lambda()) - LOG_2PI) - 0.5 * p.lambda() * expectedSq;
            double prior = entities * 0.5 * (d * (Math.log(p.tau()) - LOG_2PI) + Math.log(p.gamma()) - LOG_2PI)
                    - 0.5 * p.tau() * factorSq - 0.5 * p.gamma() * biasSq;
            double entropy = entities * 0.5 * n * (1 + LOG_2PI) + 0.5 * logDetSum;
            return data + prior + entropy;
        }

        AlsParams maximisingParams(AlsParams p) {
            double lambda = ratings / expectedSq;
            double tau = d == 0 ? p.tau() : d * (double) entities / factorSq;
            double gamma = entities / biasSq;
            return new AlsParams(d, lambda, tau, gamma);
        }
    }

    static Terms terms(VariationalModel model, RatingMatrix.Csr byUser) {
        FactorModel means = model.means();
        Factors uf = means.users();
        Factors vf = means.items();
        Posterior su = model.users();
        Posterior ti = model.items();
        int d = uf.dim();
        double mu = means.mu();
        double sq = 0;
        long count = 0;
        int[] start = byUser.start();
        int[] cols = byUser.cols();
        float[] vals = byUser.values();
        int rows = Math.min(byUser.rows(), uf.count());
        for (int u = 0; u < rows; u++) {
            for (int k = start[u]; k < start[u + 1]; k++) {
                int i = cols[k];
                double e = vals[k] - mu - uf.bias(u) - vf.bias(i) - uf.dot(u, vf, i);
                sq += e * e + model.predictionVariance(u, i);
                count++;
            }
        }
        double factorSq = 0;
        double biasSq = 0;
        double logDet = 0;
        for (Object[] side : new Object[][] {{uf, su}, {vf, ti}}) {
            Factors f = (Factors) side[0];
            Posterior p = (Posterior) side[1];
            for (int e = 0; e < f.count(); e++) {
                for (int k = 0; k < d; k++) {
                    double a = f.get(e, k);
                    factorSq += a * a + p.variance(e, k);
                }
                double b = f.bias(e);
                biasSq += b * b + p.variance(e, d);
                logDet += p.logDet(e);
            }
        }
        return new Terms(sq, count, factorSq, biasSq, logDet, uf.count() + (long) vf.count(), d);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
