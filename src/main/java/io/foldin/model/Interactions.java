package io.foldin.model;

import java.util.Arrays;

/**
 * The positive set S of implicit feedback, growable by one (u, i) at a time: each user's items I_u⁺ (sorted, for
 * the membership test of negative sampling) and every pair in arrival order (for uniform sampling of (u, i) ∈ S,
 * and for popularity-proportional sampling of an item: the item of a uniformly drawn pair is item i with
 * probability |{v : (v, i) ∈ S}| / |S|). A repeated (u, i) is stored once. It also lists the catalogue
 * I_S = {i : (v, i) ∈ S for some v}, the items with at least one interaction, in order of their first one.
 */
public final class Interactions {
    private int[][] userItems;
    private int[] userSize;
    private int[] pairUser;
    private int[] pairItem;
    private int pairs;
    private int numUsers;
    private boolean[] seen;
    private int[] catalogue;
    private int catalogueSize;
    private int numItems;

    public Interactions(int numUsers, int numItems) {
        userItems = new int[Math.max(1, numUsers)][];
        userSize = new int[Math.max(1, numUsers)];
        pairUser = new int[16];
        pairItem = new int[16];
        this.numUsers = numUsers;
        this.numItems = numItems;
        seen = new boolean[Math.max(16, numItems)];
        catalogue = new int[Math.max(16, numItems)];
    }

    /** S from a user-major CSR (a {@link io.foldin.data.RatingMatrix#byUser()}), rows in order. */
    public static Interactions of(io.foldin.data.RatingMatrix.Csr byUser, int numItems) {
        Interactions s = new Interactions(byUser.rows(), numItems);
        for (int u = 0; u < byUser.rows(); u++) {
            for (int k = byUser.start()[u]; k < byUser.start()[u + 1]; k++) {
                s.add(u, byUser.cols()[k]);
            }
        }
        return s;
    }

    /** Adds (u, i); false when it was there already. Users and items past the current counts grow the set. */
    public boolean add(int u, int i) {
        if (u < 0 || i < 0) {
            throw new IllegalArgumentException("negative index (" + u + ", " + i + ")");
        }
        if (u >= userItems.length) {
            int cap = Math.max(u + 1, userItems.length * 2);
            userItems = Arrays.copyOf(userItems, cap);
            userSize = Arrays.copyOf(userSize, cap);
        }
        numUsers = Math.max(numUsers, u + 1);
        numItems = Math.max(numItems, i + 1);
        int[] row = userItems[u];
        int n = userSize[u];
        int at = row == null ? -1 : Arrays.binarySearch(row, 0, n, i);
        if (at >= 0) {
            return false;
        }
        int ins = row == null ? 0 : -at - 1;
        if (row == null || n == row.length) {
            row = row == null ? new int[4] : Arrays.copyOf(row, n * 2);
            userItems[u] = row;
        }
        System.arraycopy(row, ins, row, ins + 1, n - ins);
        row[ins] = i;
        userSize[u] = n + 1;
        if (pairs == pairUser.length) {
            pairUser = Arrays.copyOf(pairUser, pairs * 2);
            pairItem = Arrays.copyOf(pairItem, pairs * 2);
        }
        if (i >= seen.length) {
            seen = java.util.Arrays.copyOf(seen, Math.max(i + 1, seen.length * 2));
        }
        if (!seen[i]) {
            seen[i] = true;
            if (catalogueSize == catalogue.length) {
                catalogue = Arrays.copyOf(catalogue, catalogueSize * 2);
            }
            catalogue[catalogueSize++] = i;
        }
        pairUser[pairs] = u;
        pairItem[pairs] = i;
        pairs++;
        return true;
    }

    public boolean contains(int u, int i) {
        return u < userItems.length && userItems[u] != null && Arrays.binarySearch(userItems[u], 0, userSize[u], i) >= 0;
    }

    /** |S|. */
    public int size() {
        return pairs;
    }

    public int numUsers() {
        return numUsers;
    }

    public int numItems() {
        return numItems;
    }

    /** |I_u⁺|. */
    public int count(int u) {
        return u < userSize.length ? userSize[u] : 0;
    }

    /** The k-th item of I_u⁺ in ascending order. */
    public int item(int u, int k) {
        return userItems[u][k];
    }

    /** |I_S|, the items with at least one interaction. */
    public int catalogueSize() {
        return catalogueSize;
    }

    /** The k-th item of I_S (in order of first interaction). */
    public int catalogueItem(int k) {
        return catalogue[k];
    }

    /** Whether item i has at least one interaction. */
    public boolean inCatalogue(int i) {
        return i < seen.length && seen[i];
    }

    public int pairUser(int p) {
        return pairUser[p];
    }

    public int pairItem(int p) {
        return pairItem[p];
    }
}
