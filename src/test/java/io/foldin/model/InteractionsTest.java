package io.foldin.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InteractionsTest {
    @Test
    void pairsOnceSortedRowsCatalogueAndGrowth() {
        Interactions s = new Interactions(2, 3);
        assertTrue(s.add(0, 2));
        assertTrue(s.add(0, 0));
        assertFalse(s.add(0, 2), "a repeated pair is stored once");
        assertTrue(s.add(5, 9), "a user and an item past the counts grow the set");
        assertEquals(3, s.size());
        assertEquals(6, s.numUsers());
        assertEquals(10, s.numItems());
        assertEquals(2, s.count(0));
        assertEquals(0, s.item(0, 0));
        assertEquals(2, s.item(0, 1));
        assertTrue(s.contains(5, 9));
        assertFalse(s.contains(1, 0));
        assertEquals(3, s.catalogueSize(), "items 2, 0, 9 have an interaction; 1 and 3..8 do not");
        assertEquals(2, s.catalogueItem(0));
        assertEquals(9, s.catalogueItem(2));
        assertFalse(s.inCatalogue(1));
        assertEquals(5, s.pairUser(2));
        assertEquals(9, s.pairItem(2));
    }
}
