package io.foldin.serve.rank;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TopKTest {

    /** Reference: sort every (score, row) by score descending, row ascending; drop NaN. */
    static int[] naive(float[] scores, int k) {
        return IntStream.range(0, scores.length).boxed().filter(r -> !Float.isNaN(scores[r]))
                .sorted(Comparator.<Integer>comparingDouble(r -> -scores[r]).thenComparingInt(r -> r))
                .limit(k).mapToInt(Integer::intValue).toArray();
    }

    @Test
    void matchesAFullSortOnRandomScoresWithTiesAndNaN() {
        SplittableRandom rnd = new SplittableRandom(11);
        TopK top = new TopK(1);
        for (int trial = 0; trial < 300; trial++) {
            int n = rnd.nextInt(1, 400);
            float[] s = new float[n];
            for (int r = 0; r < n; r++) {
                // Few distinct values so ties are common; a few NaN.
                s[r] = rnd.nextInt(20) == 0 ? Float.NaN : rnd.nextInt(8) - 4f;
            }
            int k = rnd.nextInt(1, 60);
            top.reset(k);
            for (int r = 0; r < n; r++) {
                top.offer(s[r], r);
            }
            top.sortDescending();
            int[] got = new int[top.size()];
            for (int i = 0; i < got.length; i++) {
                got[i] = top.row(i);
                assertEquals(s[got[i]], top.score(i));
            }
            assertArrayEquals(naive(s, k), got, "trial " + trial);
        }
    }

    @Test
    void thresholdIsTheWeakestKeptOnceFull() {
        TopK top = new TopK(2);
        assertEquals(Float.NEGATIVE_INFINITY, top.threshold());
        top.offer(1f, 0);
        top.offer(3f, 1);
        top.offer(2f, 2);
        assertEquals(2f, top.threshold());
    }

    @Test
    void readingByRankNeedsSorting() {
        TopK top = new TopK(3);
        top.offer(1f, 0);
        assertThrows(IllegalStateException.class, () -> top.row(0));
        assertThrows(IllegalArgumentException.class, () -> top.reset(0));
        top.sortDescending();
        assertEquals(0, top.row(0));
        assertEquals(1, Arrays.stream(new int[] {top.size()}).sum());
    }
}
