package io.foldin.stream.sweep;

import io.foldin.model.SufficientStats;
import io.foldin.stream.live.ModelEpoch;

import java.util.function.IntConsumer;

/**
 * What a finished sweep hands each stream task to install, wherever it was computed: the new epoch, the
 * new factors, and every swept item's rebuilt statistics. A sweep computed on this instance
 * ({@link SweepResult}) and one received from the leader of a gathered sweep ({@link GatheredOutcome})
 * answer the same questions, so the tasks install both alike. A user's statistics are not part of it:
 * its task rebuilds them from its own stored ratings against {@link #itemFactor} (docs/design.md §2.9).
 */
public interface SweepOutcome {
    ModelEpoch epoch();

    /** Copies user u's new {@code [U_u; b_u]} into {@code out}; false when the sweep did not see u. */
    boolean userFactor(int userId, float[] out);

    /** Copies item i's new {@code [V_i; b_i]} into {@code out}; false when the sweep did not see i. */
    boolean itemFactor(int itemId, float[] out);

    /**
     * Item i's statistics over all its ratings (held-out ones included) against the new user factors, and its new
     * {@code [V_i; b_i]}; false when the sweep did not see i.
     */
    boolean itemStats(int itemId, SufficientStats stats, float[] factor, double[] tmp);

    /** Ratings of item i the sweep counted (0 when it did not see i). */
    int itemRatings(int itemId);

    /** Every swept item's id, once. */
    void forEachItem(IntConsumer item);
}
