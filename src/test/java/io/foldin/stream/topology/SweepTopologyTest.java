package io.foldin.stream.topology;

import io.foldin.data.RatingLog;
import io.foldin.data.RatingsReader;
import io.foldin.data.ReadOptions;
import io.foldin.data.Split;
import io.foldin.eval.Evaluation;
import io.foldin.eval.ModelKind;
import io.foldin.model.AlsParams;
import io.foldin.model.PackedGram;
import io.foldin.model.SweepSolver;
import io.foldin.stream.live.ModelEpoch;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A full sweep inside the topology: the offline model's accuracy, rebuilt statistics, fold-in after it. */
class SweepTopologyTest {
    @TempDir
    Path dir;

    @Test
    void sweepReachesTheOfflineTestRmseAndRebuildsStatistics() throws Exception {
        RatingLog log = RatingsReader.read(FoldinTopologyTest.RATINGS, ReadOptions.defaults()).log();
        Split.TrainTest split = Split.random(log, 0.1, 42);
        AlsParams params = AlsParams.DEFAULT;
        Evaluation.Result offline = Evaluation.run(split.train(), split.test(), null, 0,
                new Evaluation.Options(ModelKind.BIASED, params, 15, 1, 42, SweepSolver.CHOLESKY), null);
        RatingLog train = split.train();
        try (TopologyFixture t = new TopologyFixture(dir, params, 3.5, 0.0)) {
            for (int k = 0; k < train.size(); k++) {
                t.rate(train.users().idOf(train.user(k)), train.items().idOf(train.item(k)), train.rating(k));
            }
            ModelEpoch epoch = t.sweep(15);
            assertEquals(1, epoch.epoch());
            assertEquals(train.mean(), epoch.mu(), 1e-6);
            assertEquals(train.size(), epoch.sweep().ratings());

            double se = 0;
            int n = 0;
            RatingLog test = split.test();
            float[] v = new float[params.dim()];
            for (int k = 0; k < test.size(); k++) {
                EntityState u = t.userState(test.users().idOf(test.user(k)));
                if (u == null || !t.live.items().get(test.items().idOf(test.item(k)), v, 0)) {
                    continue;
                }
                double r = epoch.mu() + u.factor()[params.factors()] + v[params.factors()];
                for (int a = 0; a < params.factors(); a++) {
                    r += u.factor()[a] * v[a];
                }
                double e = Math.max(0.5, Math.min(5.0, r)) - test.rating(k);
                se += e * e;
                n++;
            }
            double rmse = Math.sqrt(se / n);
            assertEquals(offline.knownTestRatings(), n);
            assertEquals(offline.last().testRmse(), rmse, 0.005, "streamed sweep vs offline evaluate");

            // statistics rebuilt: user 1's G equals Σ y_i y_iᵀ over its ratings with the new item factors
            int user = train.users().idOf(train.user(0));
            EntityState s = t.userState(user);
            double[] g = new double[PackedGram.size(params.dim())];
            int count = 0;
            RatingsStore ratings = t.ratings();
            try (var it = ratings.range(Bytes.wrap(RatingKey.first(user)), Bytes.wrap(RatingKey.last(user)))) {
                while (it.hasNext()) {
                    t.live.items().get(RatingKey.item(it.next().key.get()), v, 0);
                    PackedGram.addOuter(g, params.dim(), v, 0, 1.0, new double[params.dim()]);
                    count++;
                }
            }
            int inTrain = 0;
            for (int k = 0; k < train.size(); k++) {
                if (train.users().idOf(train.user(k)) == user) {
                    inTrain++;
                }
            }
            assertEquals(inTrain, count, "store vs input for user " + user);
            assertEquals(count, s.count(), "stats vs store for user " + user);
            for (int a = 0; a < g.length; a++) {
                assertEquals(g[a], s.stats().gram()[a], 1e-6 * Math.max(1, Math.abs(g[a])));
            }

            // fold-in continues on the new epoch
            t.rate(user, 7_000_000, 5f);
            assertEquals(count + 1, t.userState(user).count());
            assertTrue(t.live.metrics().total("foldin_item_updates_superseded_total") == 0);
        }
    }
}
