package io.foldin.cli;

import io.foldin.data.RatingLog;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code replay --counts-out}: what the service should store after the first {@code n} replayed events, so
 * that a checker can compare it with {@code GET /users/{id}} and {@code GET /items/{id}} ({@code ratings}).
 * The service keeps one rating per (user, item) pair, the last one; a file's events are ratings, never deletes
 * (no input format has a delete), so a user's or an item's count is its number of distinct pairs, re-rates
 * counted once.
 */
final class ReplayCounts {
    private ReplayCounts() {
    }

    /**
     * Writes {@code user ID N} lines, ascending by id, then {@code item ID N} lines, for every user and item
     * among the events {@code order[0..n)}.
     */
    static void write(RatingLog log, int[] order, long n, Path out) throws IOException {
        int[] users = new int[log.users().size()];
        int[] items = new int[log.items().size()];
        long[] pairs = new long[(int) n];
        for (int k = 0; k < n; k++) {
            int row = order[k];
            pairs[k] = (long) log.user(row) << 32 | log.item(row);
        }
        Arrays.sort(pairs);
        for (int k = 0; k < pairs.length; k++) {
            if (k > 0 && pairs[k] == pairs[k - 1]) {
                continue;
            }
            users[(int) (pairs[k] >>> 32)]++;
            items[(int) pairs[k]]++;
        }
        try (BufferedWriter w = Files.newBufferedWriter(out)) {
            writeSide(w, "user", users, log.users());
            writeSide(w, "item", items, log.items());
        }
    }

    private static void writeSide(BufferedWriter w, String side, int[] counts, io.foldin.data.IdIndex ids)
            throws IOException {
        long[] byId = new long[counts.length];
        int m = 0;
        for (int d = 0; d < counts.length; d++) {
            if (counts[d] > 0) {
                byId[m++] = (long) ids.idOf(d) << 32 | counts[d];
            }
        }
        Arrays.sort(byId, 0, m);
        for (int k = 0; k < m; k++) {
            w.write(side + " " + (byId[k] >>> 32) + " " + (int) byId[k] + "\n");
        }
    }
}
