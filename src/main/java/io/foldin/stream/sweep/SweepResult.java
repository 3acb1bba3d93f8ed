package io.foldin.stream.sweep;

import io.foldin.data.IdIndex;
import io.foldin.data.RatingMatrix;
import io.foldin.model.Factors;
import io.foldin.model.FactorModel;
import io.foldin.model.SufficientStats;
import io.foldin.stream.live.ModelEpoch;

/**
 * A finished sweep: the new factors of every rated entity and the ratings they were computed from
 * (training and held-out parts), from which each stream task rebuilds the statistics of the
 * entities it owns with {@link #userStats} and {@link #itemStats}.
 */
public final class SweepResult implements SweepOutcome {
    private final ModelEpoch epoch;
    private final FactorModel model;
    private final IdIndex users;
    private final IdIndex items;
    private final RatingMatrix train;
    private final RatingMatrix holdout;

    SweepResult(ModelEpoch epoch, FactorModel model, IdIndex users, IdIndex items, RatingMatrix train,
                RatingMatrix holdout) {
        this.epoch = epoch;
        this.model = model;
        this.users = users;
        this.items = items;
        this.train = train;
        this.holdout = holdout;
    }

    @Override
    public ModelEpoch epoch() {
        return epoch;
    }

    public FactorModel model() {
        return model;
    }

    public IdIndex users() {
        return users;
    }

    public IdIndex items() {
        return items;
    }

    /** Ratings (training and held-out) of the item with dense index i. */
    public int itemRatingsAt(int i) {
        return train.itemCount(i) + holdout.itemCount(i);
    }

    @Override
    public int itemRatings(int itemId) {
        int i = items.indexOf(itemId);
        return i < 0 ? 0 : itemRatingsAt(i);
    }

    @Override
    public void forEachItem(java.util.function.IntConsumer item) {
        for (int i = 0; i < items.size(); i++) {
            item.accept(items.idOf(i));
        }
    }

    @Override
    public boolean userFactor(int userId, float[] out) {
        int u = users.indexOf(userId);
        if (u < 0) {
            return false;
        }
        System.arraycopy(model.users().data(), model.users().offset(u), out, 0, model.users().stride());
        return true;
    }

    @Override
    public boolean itemFactor(int itemId, float[] out) {
        int i = items.indexOf(itemId);
        if (i < 0) {
            return false;
        }
        System.arraycopy(model.items().data(), model.items().offset(i), out, 0, model.items().stride());
        return true;
    }

    /**
     * Rebuilds user u's statistics from all its ratings (held-out ones included) against the new
     * item factors and copies its new {@code [U; b]} into {@code factor}; false if u has no ratings.
     */
    public boolean userStats(int userId, SufficientStats stats, float[] factor, double[] tmp) {
        int u = users.indexOf(userId);
        if (u < 0) {
            return false;
        }
        stats.clear();
        accumulate(train.byUser(), u, model.items(), stats, tmp);
        accumulate(holdout.byUser(), u, model.items(), stats, tmp);
        System.arraycopy(model.users().data(), model.users().offset(u), factor, 0, factor.length);
        return true;
    }

    /** As {@link #userStats}, for an item against the new user factors. */
    @Override
    public boolean itemStats(int itemId, SufficientStats stats, float[] factor, double[] tmp) {
        int i = items.indexOf(itemId);
        if (i < 0) {
            return false;
        }
        stats.clear();
        accumulate(train.byItem(), i, model.users(), stats, tmp);
        accumulate(holdout.byItem(), i, model.users(), stats, tmp);
        System.arraycopy(model.items().data(), model.items().offset(i), factor, 0, factor.length);
        return true;
    }

    private void accumulate(RatingMatrix.Csr rows, int r, Factors other, SufficientStats stats, double[] tmp) {
        if (r >= rows.rows()) {
            return;
        }
        float[] od = other.data();
        int bias = other.dim();
        for (int k = rows.start()[r]; k < rows.start()[r + 1]; k++) {
            int off = other.offset(rows.cols()[k]);
            stats.add(od, off, rows.values()[k] - model.mu() - od[off + bias], tmp);
        }
    }
}
