package io.foldin.data;

/**
 * Ratings indexed both by user (CSR) and by item (CSC), built by counting sort from a
 * {@link RatingLog}: every rating is stored twice, once in each orientation, as the ALS half-sweeps
 * need. Primitive arrays only: 32M ratings take 32M x 16 B = 512 MB.
 */
public final class RatingMatrix {
    private final int numUsers;
    private final int numItems;
    private final int[] userStart;
    private final int[] userItems;
    private final float[] userValues;
    private final int[] itemStart;
    private final int[] itemUsers;
    private final float[] itemValues;

    private RatingMatrix(int numUsers, int numItems, int[] userStart, int[] userItems, float[] userValues,
                         int[] itemStart, int[] itemUsers, float[] itemValues) {
        this.numUsers = numUsers;
        this.numItems = numItems;
        this.userStart = userStart;
        this.userItems = userItems;
        this.userValues = userValues;
        this.itemStart = itemStart;
        this.itemUsers = itemUsers;
        this.itemValues = itemValues;
    }

    /** Indexes {@code log} over the full id spaces of its user and item indexes. */
    public static RatingMatrix of(RatingLog log) {
        return of(log, log.users().size(), log.items().size());
    }

    public static RatingMatrix of(RatingLog log, int numUsers, int numItems) {
        int n = log.size();
        int[] userStart = new int[numUsers + 1];
        int[] itemStart = new int[numItems + 1];
        for (int k = 0; k < n; k++) {
            userStart[log.user(k) + 1]++;
            itemStart[log.item(k) + 1]++;
        }
        for (int u = 0; u < numUsers; u++) {
            userStart[u + 1] += userStart[u];
        }
        for (int i = 0; i < numItems; i++) {
            itemStart[i + 1] += itemStart[i];
        }
        int[] userFill = java.util.Arrays.copyOf(userStart, numUsers);
        int[] itemFill = java.util.Arrays.copyOf(itemStart, numItems);
        int[] userItems = new int[n];
        float[] userValues = new float[n];
        int[] itemUsers = new int[n];
        float[] itemValues = new float[n];
        for (int k = 0; k < n; k++) {
            int u = log.user(k);
            int i = log.item(k);
            float r = log.rating(k);
            int a = userFill[u]++;
            userItems[a] = i;
            userValues[a] = r;
            int b = itemFill[i]++;
            itemUsers[b] = u;
            itemValues[b] = r;
        }
        return new RatingMatrix(numUsers, numItems, userStart, userItems, userValues,
                itemStart, itemUsers, itemValues);
    }

    public int numUsers() {
        return numUsers;
    }

    public int numItems() {
        return numItems;
    }

    public long numRatings() {
        return userItems.length;
    }

    /** The user-major view: row u lists the items u rated. */
    public Csr byUser() {
        return new Csr(userStart, userItems, userValues);
    }

    /** The item-major view: row i lists the users who rated i. */
    public Csr byItem() {
        return new Csr(itemStart, itemUsers, itemValues);
    }

    public int userCount(int u) {
        return userStart[u + 1] - userStart[u];
    }

    public int itemCount(int i) {
        return itemStart[i + 1] - itemStart[i];
    }

    /**
     * One orientation: row r's entries are {@code cols[start[r] .. start[r+1])} with ratings
     * {@code values[...]}.
     */
    public record Csr(int[] start, int[] cols, float[] values) {
        public int rows() {
            return start.length - 1;
        }
    }
}
