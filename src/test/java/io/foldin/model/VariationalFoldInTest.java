package io.foldin.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.foldin.data.RatingLog;
import io.foldin.data.RatingMatrix;
import io.foldin.data.RatingsReader;
import io.foldin.data.ReadOptions;
import io.foldin.data.Split;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Folding a rating into the variational model keeps the expected statistics: the user's and the item's q
 * after the fold-in equal the variational updates from scratch over the same ratings (the other side's q as
 * it was when each side was solved), to float rounding.
 */
class VariationalFoldInTest {
    @ParameterizedTest
    @CsvSource({"full,0", "full,1234", "diagonal,0", "diagonal,1234"})
    void foldInEqualsSolvingFromScratch(String covariance, int row) throws Exception {
        RatingLog log = RatingsReader.read(VariationalTrainerTest.RATINGS, ReadOptions.defaults()).log();
        RatingLog train = Split.random(log, 0.1, 42).train();
        int numUsers = train.users().size();
        int numItems = train.items().size();
        // leave rating `row` out, fit on the rest
        RatingLog without = new RatingLog(train.users(), train.items(), train.size());
        for (int k = 0; k < train.size(); k++) {
            if (k != row) {
                without.add(train.users().idOf(train.user(k)), train.items().idOf(train.item(k)), train.rating(k),
                        train.time(k));
            }
        }
        int u = train.user(row);
        int i = train.item(row);
        float r = train.rating(row);
        float[] range = train.ratingRange();
        VariationalModel model = VariationalModel.initial(AlsParams.DEFAULT, train.mean(), range[0], range[1],
                numUsers, numItems, Posterior.Covariance.parse(covariance), 42);
        RatingMatrix before = RatingMatrix.of(without, numUsers, numItems);
        try (VariationalTrainer t = new VariationalTrainer(2, false)) {
            for (int s = 0; s < 5; s++) {
                t.sweep(model, before);
            }
        }
        VariationalModel scratch = model.copy();
        VariationalFoldIn foldIn = new VariationalFoldIn(model);
        foldIn.rebuild(before);
        foldIn.apply(u, i, r, Float.NaN);

        RatingMatrix after = RatingMatrix.of(train, numUsers, numItems);
        try (VariationalTrainer t = new VariationalTrainer(1, false)) {
            solveOne(scratch, after.byUser(), u, true);   // the user from scratch, items as they were
            solveOne(scratch, after.byItem(), i, false);  // the item from scratch, with the user's new q
        }
        assertSame(model.means().users(), scratch.means().users(), model.users(), scratch.users(), u);
        assertSame(model.means().items(), scratch.means().items(), model.items(), scratch.items(), i);
    }

    private static void solveOne(VariationalModel m, RatingMatrix.Csr rows, int e, boolean user) {
        int n = m.params().dim();
        double[] g = new double[PackedGram.size(n)];
        double[] h = new double[n];
        Factors self = user ? m.means().users() : m.means().items();
        Factors other = user ? m.means().items() : m.means().users();
        Posterior selfPost = user ? m.users() : m.items();
        Posterior otherPost = user ? m.items() : m.users();
        VariationalTrainer.formExpected(new ScalarRowGram(n), rows.cols(), rows.values(), rows.start()[e],
                rows.start()[e + 1], other, otherPost, m.means().mu(), g, h, new double[otherPost.stride()]);
        new VariationalSolver(m.params()).solve(g, h, null, 0, self.data(), self.offset(e), selfPost, e);
    }

    private static void assertSame(Factors a, Factors b, Posterior pa, Posterior pb, int e) {
        for (int k = 0; k <= a.dim(); k++) {
            assertEquals(b.data()[b.offset(e) + k], a.data()[a.offset(e) + k], 1e-5, "mean " + k);
        }
        for (int k = 0; k < pa.stride(); k++) {
            double x = pb.data()[e * pb.stride() + k];
            assertEquals(x, pa.data()[e * pa.stride() + k], 1e-9 + 1e-6 * Math.abs(x), "covariance " + k);
        }
        assertEquals(pb.logDet(e), pa.logDet(e), 1e-6);
    }
}
