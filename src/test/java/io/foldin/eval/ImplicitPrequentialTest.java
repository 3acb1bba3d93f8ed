package io.foldin.eval;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foldin.model.Factors;
import io.foldin.model.ImplicitFoldIn;
import io.foldin.model.ImplicitParams;
import org.junit.jupiter.api.Test;

class ImplicitPrequentialTest {
    private static ImplicitFoldIn seen(int users, int items) {
        ImplicitParams p = new ImplicitParams(2, 1.0, 1.0);
        return new ImplicitFoldIn(p, Factors.random(users, 2, 0.1, 1), Factors.random(items, 2, 0.1, 2));
    }

    @Test
    void aHitIsFewerThanTenUnseenItemsScoringAtLeastAsHigh() {
        ImplicitFoldIn seen = seen(2, 30);
        double[] scores = new double[30];
        for (int j = 0; j < 30; j++) {
            scores[j] = 30 - j; // item j ranks j-th
        }
        assertTrue(ImplicitPrequential.hit(scores, 0, 9, seen), "rank 10 of 30");
        assertFalse(ImplicitPrequential.hit(scores, 0, 10, seen), "rank 11 of 30");
        seen.foldInUser(0, 3, 1f); // an item the user already has does not count above the target
        assertTrue(ImplicitPrequential.hit(scores, 0, 10, seen), "rank 11, one of the ten above already seen");
        assertFalse(ImplicitPrequential.hit(scores, 1, 10, seen), "another user's history does not count");
    }

    @Test
    void tiesCountAgainstTheItemSoAUserWithoutAVectorNeverHits() {
        ImplicitFoldIn seen = seen(1, 30);
        double[] zeros = new double[30];
        for (int i = 0; i < 30; i++) {
            assertFalse(ImplicitPrequential.hit(zeros, 0, i, seen), "item " + i);
        }
    }
}
