package io.foldin.stream.live;

import io.foldin.metrics.Metrics;
import io.foldin.model.ItemStart;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** {@link LiveModel#itemFactor}: what the user fold-in uses for each kind of item. */
class LiveModelTest {
    static final int D = 3;

    static float[] factor(LiveModel m, int item) {
        float[] out = new float[D + 1];
        m.itemFactor(item, out, new float[D]);
        return out;
    }

    static float[] seeded(int item) {
        float[] v = new float[D + 1];
        ItemStart.of(item, D, v, 0);
        return v;
    }

    @Test
    void beforeTheFirstSweepItemsWithoutFactorsUseTheirSeededStart() {
        LiveModel m = new LiveModel(D, ModelEpoch.initial(3.5, D), new Metrics());
        assertArrayEquals(seeded(7), factor(m, 7), 0f, "unknown item");
        m.putCatalogItem(new ItemCatalog.Item(8, "t", List.of("Drama")));
        assertArrayEquals(seeded(8), factor(m, 8), 0f, "catalogue item with a (zero) prior row");
        float[] published = {0.5f, -0.25f, 1f, 0.125f};
        m.items().put(8, 0, 3, published);
        assertArrayEquals(published, factor(m, 8), 0f, "published factors win");
    }

    @Test
    void afterASweepTheGenrePriorMeanOrZero() {
        ModelEpoch e = new ModelEpoch(1, 3.5, D, Map.of("Drama", new float[] {0.3f, 0f, -0.6f}),
                ModelEpoch.SweepInfo.NONE);
        LiveModel m = new LiveModel(D, e, new Metrics());
        m.putCatalogItem(new ItemCatalog.Item(8, "t", List.of("Drama")));
        m.putCatalogItem(new ItemCatalog.Item(9, "u", List.of()));
        assertArrayEquals(new float[] {0.3f, 0f, -0.6f, 0f}, factor(m, 8), 1e-7f, "genre prior mean, bias 0");
        assertArrayEquals(new float[D + 1], factor(m, 9), 0f, "no genres: zero");
        assertArrayEquals(new float[D + 1], factor(m, 7), 0f, "unknown: zero");
    }
}
