package io.foldin.stream.topology;

import io.foldin.data.RatingLog;

import java.util.HashMap;
import java.util.Map;

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
}
