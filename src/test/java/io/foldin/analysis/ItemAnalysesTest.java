package io.foldin.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foldin.model.AlsParams;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Genre features, polarizing items, bias against popularity and the dummy user, against naive references. */
class ItemAnalysesTest {

    @Test
    void genreMagnitudesAreNormsLargestFirst() {
        var mags = GenreFeatures.magnitudes(Map.of("A", new float[] {3, 4}, "B", new float[] {0, 1},
                "C", new float[] {6, 8}));
        assertEquals(List.of("C", "A", "B"), mags.stream().map(GenreFeatures.Magnitude::genre).toList());
        assertEquals(10.0, mags.get(0).magnitude(), 1e-12);
        assertEquals(5.0, mags.get(1).magnitude(), 1e-12);
    }

    @Test
    void priorMeanIsTheScaledSumOfTheKnownFeatures() {
        Map<String, float[]> f = Map.of("A", new float[] {1, 2}, "B", new float[] {3, -4});
        float[] m = GenreFeatures.priorMean(f, List.of("A", "B", "Unknown"), 2);
        assertArrayEquals(new float[] {(float) (4 / Math.sqrt(2)), (float) (-2 / Math.sqrt(2))}, m, 1e-6f);
        assertNull(GenreFeatures.priorMean(f, List.of("Unknown"), 2));
    }

    @Test
    void coldStartNeighboursAreTheMostCosineSimilarItems() {
        ItemModel m = Models.random(300, 6, 11);
        List<String> genres = List.of("Adventure", "Animation");
        float[] mean = GenreFeatures.priorMean(m.features(), genres, 6);
        List<Integer> naive = IntStream.range(0, m.size()).filter(i -> m.counts()[i] >= 50).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -cosine(mean, m, i))).limit(5).toList();
        List<Ranked> got = GenreFeatures.coldStartNeighbours(m, genres, 5, 50);
        assertEquals(naive, got.stream().map(Ranked::index).toList());
        assertEquals(cosine(mean, m, naive.get(0)), got.get(0).value(), 1e-6);
        assertEquals(m.ids()[naive.get(0)], got.get(0).id());
        assertTrue(GenreFeatures.coldStartNeighbours(m, List.of("Western"), 5, 0).isEmpty());
    }

    private static double cosine(float[] v, ItemModel m, int i) {
        double dot = 0;
        double vv = 0;
        for (int a = 0; a < v.length; a++) {
            dot += (double) v[a] * m.rows()[m.offset(i) + a];
            vv += (double) v[a] * v[a];
        }
        return dot / Math.sqrt(vv) / m.norm(i);
    }

    @Test
    void polarizingItemsAreTheLargestAndSmallestNormsAmongRatedItems() {
        ItemModel m = Models.random(400, 5, 12);
        List<Integer> rated = IntStream.range(0, m.size()).filter(i -> m.counts()[i] >= 100).boxed().toList();
        List<Integer> byNorm = new ArrayList<>(rated);
        byNorm.sort(Comparator.comparingDouble(m::norm));
        Polarizing.Result r = Polarizing.of(m, 4, 100);
        List<Integer> largest = new ArrayList<>(byNorm.subList(byNorm.size() - 4, byNorm.size()));
        java.util.Collections.reverse(largest);
        assertEquals(largest, r.most().stream().map(Ranked::index).toList());
        assertEquals(byNorm.subList(0, 4), r.least().stream().map(Ranked::index).toList());
        assertEquals(m.norm(byNorm.get(0)), r.least().get(0).value(), 1e-12);
    }

    @Test
    void biasByPopularityRanksByCountAndAveragesPerDecade() {
        ItemModel m = Models.random(200, 2, 13);
        BiasPopularity.Result r = BiasPopularity.of(m);
        for (int k = 1; k < r.counts().length; k++) {
            assertTrue(r.counts()[k - 1] >= r.counts()[k]);
        }
        double sum = 0;
        int n = 0;
        for (int i = 0; i < m.size(); i++) {
            if (m.counts()[i] >= 10 && m.counts()[i] <= 99) {
                sum += m.bias(i);
                n++;
            }
        }
        assertEquals(sum / n, r.meanBiasByDecade()[1], 1e-9);
        assertEquals(0, BiasPopularity.decade(9));
        assertEquals(2, BiasPopularity.decade(100));
        assertEquals(2, BiasPopularity.decade(999));
    }

    /**
     * D = 1 in closed form: with y = [v; 1], x = r − μ − b_j, A = λ y yᵀ + diag(τ, γ), the user
     * [u; b_u] = A⁻¹ λ x y; by Cramer's rule u = λ x v γ / det, b_u = λ x τ / det, det = (λv² + τ)(λ + γ) − λ²v².
     */
    @Test
    void theDummyUserIsTheClosedFormFoldInAndScoresByListing2() {
        float[] rows = {2f, 0.5f, -1f, 0.2f, 0.5f, -0.3f};
        AlsParams p = new AlsParams(1, 2.0, 3.0, 5.0);
        ItemModel m = new ItemModel(1, new int[] {7, 8, 9}, new String[] {"a", "b", "c"},
                new String[][] {{}, {}, {}}, rows, new int[] {10, 10, 10}, 3.0, p, Map.of());
        DummyUser.Result r = DummyUser.of(m, 0, 5f, 3, 0);
        double lambda = 2;
        double v = 2;
        double x = 5 - 3.0 - 0.5;
        double det = (lambda * v * v + 3) * (lambda + 5) - lambda * lambda * v * v;
        assertEquals(lambda * x * v * 5 / det, r.user()[0], 1e-6);
        assertEquals(lambda * x * 3 / det, r.user()[1], 1e-6);
        double u = r.user()[0];
        double[] scores = {u * 2 + 0.05 * 0.5, u * -1 + 0.05 * 0.2, u * 0.5 + 0.05 * -0.3};
        assertEquals(List.of(0, 2, 1), r.top().stream().map(Ranked::index).toList());
        assertEquals(scores[2], r.top().get(1).value(), 1e-6);
    }
}
