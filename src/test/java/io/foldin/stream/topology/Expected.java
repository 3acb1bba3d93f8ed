package io.foldin.stream.topology;

import io.foldin.data.RatingLog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the stores must hold after a log: each pair's rating (the latest wins) and counts per entity. */
record Expected(Map<Long, Float> ratings, Map<Integer, Long> perUser, Map<Integer, Long> perItem) {
    static long pair(int user, int item) {
        return ((long) user << 32) | (item & 0xFFFF_FFFFL);
    }

    static Expected of(RatingLog log) {
        Map<Long, Float> ratings = new HashMap<>();
        for (int k : log.timeOrder()) {
            ratings.put(pair(log.users().idOf(log.user(k)), log.items().idOf(log.item(k))), log.rating(k));
        }
        Map<Integer, Long> perUser = new HashMap<>();
        Map<Integer, Long> perItem = new HashMap<>();
        for (long p : ratings.keySet()) {
            perUser.merge((int) (p >>> 32), 1L, Long::sum);
            perItem.merge((int) p, 1L, Long::sum);
        }
        return new Expected(ratings, perUser, perItem);
    }

    /** The running instance's stores hold every pair once with its rating, and count each entity's ratings once. */
    void assertStoredBy(FoldinStreams s) {
        assertSameEntries(ratings, LocalStores.ratings(s), "user-ratings: every (user, item) pair once, with its rating");
        assertSameEntries(perUser, LocalStores.counts(s, Stores.USER_STATS), "ratings counted per user");
        assertSameEntries(perItem, LocalStores.counts(s, Stores.ITEM_STATS), "ratings counted per item");
    }

    /** Equal maps, or a failure naming how many entries differ and the first few (the maps have thousands). */
    static <K, V> void assertSameEntries(Map<K, V> expected, Map<K, V> actual, String what) {
        List<String> diff = new ArrayList<>();
        Set<K> keys = new HashSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        for (K k : keys) {
            if (!Objects.equals(expected.get(k), actual.get(k))) {
                diff.add(k + ": " + expected.get(k) + " expected, " + actual.get(k) + " stored");
            }
        }
        assertTrue(diff.isEmpty(), what + ": " + diff.size() + " of " + keys.size() + " differ, e.g. "
                + diff.subList(0, Math.min(10, diff.size())));
    }
}
