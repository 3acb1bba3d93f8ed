package io.foldin.model;

import io.foldin.data.RatingMatrix;

/**
 * The MAP objective the sweeps minimise:
 * {@code λ/2 Σ (r_ui − μ − b_u − b_i − U_u·V_i)² + τ/2 Σ‖U_u‖² + τ/2 Σ‖V_i − m_i‖²
 * + τ/2 Σ‖f_k‖² + γ/2 (Σ b_u² + Σ b_i²)}, unclipped (clipping is for reporting, not training).
 */
public final class Loss {
    private Loss() {
    }

    public static double of(FactorModel model, RatingMatrix ratings) {
        AlsParams p = model.params();
        Factors users = model.users();
        Factors items = model.items();
        RatingMatrix.Csr byUser = ratings.byUser();
        double sq = 0;
        for (int u = 0; u < byUser.rows(); u++) {
            for (int k = byUser.start()[u]; k < byUser.start()[u + 1]; k++) {
                int i = byUser.cols()[k];
                double e = byUser.values()[k] - model.mu() - users.bias(u) - items.bias(i)
                        - users.dot(u, items, i);
                sq += e * e;
            }
        }
        int d = p.factors();
        double vec = 0;
        double bias = 0;
        for (int u = 0; u < users.count(); u++) {
            bias += sq(users.bias(u));
            for (int a = 0; a < d; a++) {
                vec += sq(users.get(u, a));
            }
        }
        GenrePrior prior = model.genrePrior();
        float[] m = new float[d];
        for (int i = 0; i < items.count(); i++) {
            bias += sq(items.bias(i));
            if (prior != null) {
                prior.meanOf(i, m, 0);
            }
            for (int a = 0; a < d; a++) {
                vec += sq(items.get(i, a) - m[a]);
            }
        }
        if (prior != null) {
            vec += prior.featureNormSquared();
        }
        return p.lambda() / 2 * sq + p.tau() / 2 * vec + p.gamma() / 2 * bias;
    }

    private static double sq(double x) {
        return x * x;
    }
}
