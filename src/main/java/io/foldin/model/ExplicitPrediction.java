package io.foldin.model;

/**
 * The explicit model's prediction, written once for every caller (training, fold-in, the prequential snapshot and
 * serving):
 * <pre>
 *   r̂_ui = clip(μ + b_u + b_i + U_u·V_i, [min, max])
 * </pre>
 * over packed entity rows {@code [x_1 .. x_D, b]} (the {@link Factors} layout: the bias follows the D vector
 * entries). An unknown side (a null row) contributes neither its bias nor the product, so a user with no factors
 * gets μ + b_i and a pair with neither gets μ. Products are summed in double.
 */
public final class ExplicitPrediction {
    private ExplicitPrediction() {
    }

    /**
     * @param user  the user's row at {@code uo}, or null when the user is unknown
     * @param item  the item's row at {@code io}, or null when the item is unknown
     * @param d     the latent dimension D (each row holds D + 1 floats from its offset)
     */
    public static double predict(double mu, float[] user, int uo, float[] item, int io, int d, double min,
                                 double max) {
        double r = mu;
        if (user != null) {
            r += user[uo + d];
        }
        if (item != null) {
            r += item[io + d];
        }
        if (user != null && item != null) {
            for (int a = 0; a < d; a++) {
                r += (double) user[uo + a] * item[io + a];
            }
        }
        return clip(r, min, max);
    }

    public static double clip(double r, double min, double max) {
        return r < min ? min : (r > max ? max : r);
    }
}
