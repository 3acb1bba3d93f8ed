package io.foldin.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.foldin.data.RatingLog;
import io.foldin.data.RatingMatrix;
import org.junit.jupiter.api.Test;

/** {@link FoldIn} equals re-solving the touched entities from scratch with the factors of the moment. */
class FoldInEngineTest {
    private static final AlsParams P = new AlsParams(4, 1.0, 5.0, 2.0);

    @Test
    void applyEqualsSolvingUserThenItemFromScratch() {
        RatingLog log = Synthetic.ratings(30, 20, 6, 12);
        FactorModel model = FactorModel.initial(P, log.mean(), 0.5f, 5f, 30, 20, null, 3);
        RatingMatrix before = RatingMatrix.of(log);
        try (AlsTrainer t = new AlsTrainer(P, 1)) {
            t.sweep(model, before);
        }
        FoldIn foldIn = new FoldIn(model);
        foldIn.rebuild(before);
        // user 0 rates an item it has not rated
        int u = 0;
        int i = 0;
        while (contains(before.byUser(), u, i)) {
            i++;
        }
        foldIn.apply(u, i, 4.5f, Float.NaN);

        log.addIndexed(u, i, 4.5f, 0);
        RatingMatrix after = RatingMatrix.of(log);
        FactorModel expected = model.copy();
        // the user is solved against the item factors as they stood (a user step on the new data)...
        FactorModel reference = FactorModel.initial(P, model.mu(), 0.5f, 5f, 30, 20, null, 3);
        try (AlsTrainer t = new AlsTrainer(P, 1)) {
            t.sweep(reference, before);
            t.solveUsers(reference, after.byUser());
        }
        assertArrayEquals(slice(reference.users(), u), slice(expected.users(), u), 1e-5f);
        // ...then the item from scratch against the users as they are now (only u moved)
        SufficientStats item = new SufficientStats(P.factors());
        RatingMatrix.Csr rows = after.byItem();
        Factors users = expected.users();
        for (int k = rows.start()[i]; k < rows.start()[i + 1]; k++) {
            int v = rows.cols()[k];
            item.add(users.data(), users.offset(v), rows.values()[k] - model.mu() - users.bias(v), new double[P.dim()]);
        }
        float[] scratch = new float[P.dim()];
        item.solve(new AugmentedSolver(P), null, 0, scratch, 0);
        assertArrayEquals(scratch, slice(expected.items(), i), 1e-4f);
    }

    private static boolean contains(RatingMatrix.Csr rows, int r, int c) {
        for (int k = rows.start()[r]; k < rows.start()[r + 1]; k++) {
            if (rows.cols()[k] == c) {
                return true;
            }
        }
        return false;
    }

    private static float[] slice(Factors f, int e) {
        float[] out = new float[f.stride()];
        System.arraycopy(f.data(), f.offset(e), out, 0, out.length);
        return out;
    }
}
