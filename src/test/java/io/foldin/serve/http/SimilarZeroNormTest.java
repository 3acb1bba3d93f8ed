package io.foldin.serve.http;

import io.foldin.metrics.Metrics;
import io.foldin.model.AlsParams;
import io.foldin.serve.rank.ItemColumns;
import io.foldin.stream.live.LiveModel;
import io.foldin.stream.live.ModelEpoch;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue #22: cosine neighbours of an item whose vector is zero, or so close to zero that GET /items
 * shows norm 0, are none; an item that is not in the table has no answer (null: the handler's 404).
 */
class SimilarZeroNormTest {
    static final int D = AlsParams.DEFAULT.factors();

    @Test
    void aZeroOrNumericallyZeroVectorHasNoNeighboursAndASmallRealOneHas() throws Exception {
        LiveModel live = new LiveModel(D, ModelEpoch.initial(3.5, D), new Metrics());
        ItemColumns columns = new ItemColumns(D);
        live.items().addListener(columns::set);
        SplittableRandom rnd = new SplittableRandom(7);
        for (int item = 1; item <= 50; item++) {
            live.items().put(item, 1, 10, vector(rnd, 1.0));
        }
        live.items().put(100, 1, 1, new float[D + 1]);
        live.items().put(101, 1, 1, vector(rnd, 1e-9));
        live.items().put(102, 1, 1, vector(rnd, 1e-3));
        Vertx vertx = Vertx.vertx();
        try (BatchScanner scanner = new BatchScanner(live.items(), columns, null, 1, 1, 4, new Metrics())) {
            Recommender rec = new Recommender(live, scanner, AlsParams.DEFAULT);
            var on = vertx.getOrCreateContext();
            Recommender.Query q = new Recommender.Query(5, 0, 1f);
            for (int item : new int[] {100, 101}) {
                assertEquals(0.0, Views.round(Recommender.norm(rec.itemFactor(item))), "item " + item + " shows norm 0");
                List<Recommender.Scored> l = rec.similar(on, item, q).toCompletionStage().toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
                assertEquals(List.of(), l, "item " + item);
            }
            List<Recommender.Scored> small = rec.similar(on, 102, q).toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertEquals(5, small.size());
            for (Recommender.Scored s : small) {
                assertTrue(Math.abs(s.score()) <= 1.00001, s.toString());
            }
            assertNull(rec.similar(on, 424242, q), "not in the table");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    static float[] vector(SplittableRandom rnd, double scale) {
        float[] f = new float[D + 1];
        for (int a = 0; a < D; a++) {
            f[a] = (float) (scale * rnd.nextGaussian());
        }
        f[D] = (float) rnd.nextGaussian();
        return f;
    }
}
