package io.foldin.model;

/**
 * The explicit model's ranking score, as {@code GET /users/{id}/recommendations} ranks (serve/rank/ItemScan):
 * <pre>
 *   s_ui = U_u·V_i + w · b_i
 * </pre>
 * μ and b_u are the same for every item of a user and drop out of the order; w = 1 orders items like the
 * predicted rating μ + b_u + b_i + U_u·V_i (up to clipping), w = 0 by affinity alone. A user index outside the
 * trained ones (no training ratings) has no vector and is ranked by w · b_i.
 */
public final class ExplicitRanking implements ImplicitScorer {
    private final FactorModel model;
    private final double biasWeight;

    public ExplicitRanking(FactorModel model, double biasWeight) {
        this.model = model;
        this.biasWeight = biasWeight;
    }

    @Override
    public int items() {
        return model.items().count();
    }

    @Override
    public void scores(int user, double[] out) {
        Factors users = model.users();
        Factors items = model.items();
        boolean known = user >= 0 && user < users.count();
        for (int i = 0; i < items.count(); i++) {
            out[i] = biasWeight * items.bias(i) + (known ? users.dot(user, items, i) : 0);
        }
    }
}
