package io.foldin.data.twin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code generate --items}: a larger catalogue with the same users, ratings and laws. */
class TwinItemsTest {

    @Test
    void largerCatalogueKeepsUsersAndRatingsAndRatesEveryItem() {
        TwinConfig base = TwinConfig.of(0.01, 7);
        TwinConfig wide = base.withItems(40_000);
        assertEquals(base.users(), wide.users());
        assertEquals(base.ratings(), wide.ratings());
        assertEquals(base.items(), wide.activityCapItems(), "activity is capped by the scale's own item count");
        Twin a = TwinGenerator.generate(base);
        Twin b = TwinGenerator.generate(wide);
        assertEquals(40_000, b.items());
        assertEquals(base.ratings(), b.size());
        int[] perUserA = new int[a.users()];
        int[] perUserB = new int[b.users()];
        int[] perItem = new int[b.items()];
        for (int k = 0; k < a.size(); k++) {
            perUserA[a.user(k)]++;
        }
        for (int k = 0; k < b.size(); k++) {
            perUserB[b.user(k)]++;
            perItem[b.item(k)]++;
        }
        // the users' activity is drawn before the catalogue matters: the same counts, user by user
        assertArrayEquals(perUserA, perUserB);
        for (int i = 0; i < perItem.length; i++) {
            assertTrue(perItem[i] >= 1, "item " + i + " unrated");
        }
        // the long tail grows with the catalogue: most of the extra items have at most 3 ratings
        long tail = java.util.Arrays.stream(perItem).filter(c -> c <= 3).count();
        assertTrue(tail > b.items() / 2, "items with <= 3 ratings: " + tail);
    }

    @Test
    void tooManyItemsForTheRatingsIsRefused() {
        TwinConfig base = TwinConfig.of(0.01, 7);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> base.withItems(1_000_000));
        assertTrue(e.getMessage().startsWith("--items 1000000 at scale 0.01: between 80 and 158996"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> base.withItems(79));
    }
}
