package io.foldin.serve.rank;

import io.foldin.model.AlsParams;
import io.foldin.model.Cholesky;
import io.foldin.model.PackedGram;

/**
 * The variance of a predicted score {@code μ + b_u + b_i + U_u·V_i} with both sides uncertain, for ranking
 * (docs/design.md §1.8). The user's posterior {@code S_u = A_u⁻¹}, {@code A_u = λ G_u + diag(τ,…,τ,γ)}, comes from
 * its stored G as in {@link PredictionVariance}; the item's from the variances its factor record carries,
 * {@code t_i = diag(T_i)} (NaN: the prior's, {@code 1/τ, …, 1/γ}, its largest possible). With T_i taken
 * diagonal, as carried,
 * <pre>
 * var_ui = y_iᵀ S_u y_i + z_uᵀ T_i z_u + tr(S_u,VV T_i,VV)
 *        = ‖L_u⁻¹ y_i‖² + Σ_{k&lt;D} t_ik (U_uk² + S_u,kk) + t_ib
 * </pre>
 * with {@code y_i = [V_i; 1]}, {@code z_u = [U_u; 1]}: one forward substitution and one dot product per item
 * after one Cholesky per query. Holds a workspace: one instance per thread.
 */
public final class ScoreVariance {
    private final AlsParams params;
    private final int n;
    private final double[] prior;
    private final double[] priorVariance;
    private final double[] l;
    private final double[] z;
    private final double[] weight;

    public ScoreVariance(AlsParams params) {
        this.params = params;
        this.n = params.dim();
        this.prior = params.priorDiagonal();
        this.priorVariance = new double[n];
        for (int k = 0; k < n; k++) {
            priorVariance[k] = 1.0 / prior[k];
        }
        this.l = new double[n * n];
        this.z = new double[n];
        this.weight = new double[n];
    }

    /**
     * Prepares for one user: factorises {@code A_u} from its packed G and forms the weights
     * {@code U_uk² + S_u,kk} (and 1 for the bias). Returns false when A is not positive definite.
     */
    public boolean user(double[] gram, float[] user) {
        PackedGram.expand(gram, n, params.lambda(), prior, l);
        if (!Cholesky.factor(l, n)) {
            return false;
        }
        Cholesky.inverseDiagonal(l, n, weight, z);
        for (int k = 0; k < n - 1; k++) {
            weight[k] += (double) user[k] * user[k];
        }
        weight[n - 1] = 1.0;
        return true;
    }

    /** The user's posterior variances {@code diag(S_u)} after {@link #user} (n doubles into out). */
    public void userVariance(double[] out) {
        Cholesky.inverseDiagonal(l, n, out, z);
    }

    /**
     * {@code var_ui} for the item row {@code [V_i; b_i]} at {@code item[off ..]} with carried variances at
     * {@code variance[off ..]} (the same stride), after {@link #user}.
     */
    public double variance(float[] item, float[] variance, int off) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double t = i == n - 1 ? 1.0 : item[off + i];
            int ri = i * n;
            for (int k = 0; k < i; k++) {
                t -= l[ri + k] * z[k];
            }
            z[i] = t / l[ri + i];
            sum += z[i] * z[i];
        }
        for (int k = 0; k < n; k++) {
            double t = variance[off + k];
            sum += weight[k] * (Double.isNaN(t) ? priorVariance[k] : t);
        }
        return sum;
    }

    /** The item's own mean factor variance {@code tr(T_VV)/D} (prior where not carried), for similar items. */
    public double itemFactorVariance(float[] variance, int off) {
        int d = n - 1;
        if (d == 0) {
            return 0;
        }
        double s = 0;
        for (int k = 0; k < d; k++) {
            double t = variance[off + k];
            s += Double.isNaN(t) ? priorVariance[k] : t;
        }
        return s / d;
    }
}
