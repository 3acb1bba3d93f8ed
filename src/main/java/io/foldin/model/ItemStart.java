package io.foldin.model;

import java.util.SplittableRandom;

/**
 * The start vector of an item that has no factors yet, for fold-in before any sweep: entries
 * ~ N(0, {@link FactorModel#INIT_SCALE}²) like a fresh model's, drawn from a generator seeded by the
 * item id, so every instance, restart and replay gives an item the same start.
 *
 * <p>Why it exists: fold-in alternates sides. If every item vector is 0, a user's statistics hold
 * only {@code y_i = [0; 1]}, so its solve gives {@code U_u = 0}; the items then see {@code y_u = [0; 1]}
 * and solve {@code V_i = 0}; nothing ever leaves zero and everything is ranked by bias. A small
 * non-zero start breaks that symmetry as ALS's random initialisation does.
 */
public final class ItemStart {
    /** Mixed with the item id into the generator's seed. */
    public static final long SEED = 0x6A09E667F3BCC909L;

    private ItemStart() {
    }

    /** Writes the item's D start entries into {@code out[off .. off+d)}. */
    public static void of(int itemId, int d, float[] out, int off) {
        SplittableRandom rnd = new SplittableRandom(SEED ^ (itemId * 0x9E3779B97F4A7C15L));
        for (int a = 0; a < d; a++) {
            out[off + a] = (float) (rnd.nextGaussian() * FactorModel.INIT_SCALE);
        }
    }
}
