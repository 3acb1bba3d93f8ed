package io.foldin.stream.live;

import java.util.Arrays;

/**
 * An immutable set of item ids that grows one id at a time cheaply: a sorted base plus a small
 * sorted run of ids added since, disjoint from it. {@link #with} copies only the run, and merges it
 * into a new base once it holds more than {@code max(32, √n)} ids, so an addition costs
 * O(√n) amortized instead of the O(n) of a copy-on-write sorted array (on the twin, copying heavy
 * raters' arrays was 30% of the stream threads' allocation). Readers on other threads see a
 * consistent snapshot without locks; {@link #contains} is two binary searches.
 */
public final class ItemSet {
    private static final int[] NONE = new int[0];
    public static final ItemSet EMPTY = new ItemSet(NONE, NONE);
    private static final int MIN_RUN = 32;

    private final int[] base;
    private final int[] run;

    private ItemSet(int[] base, int[] run) {
        this.base = base;
        this.run = run;
    }

    /** The set of {@code sorted}, which must be ascending without repeats; the array is kept, not copied. */
    public static ItemSet of(int[] sorted) {
        return sorted.length == 0 ? EMPTY : new ItemSet(sorted, NONE);
    }

    public boolean contains(int item) {
        return Arrays.binarySearch(run, item) >= 0 || Arrays.binarySearch(base, item) >= 0;
    }

    public int size() {
        return base.length + run.length;
    }

    /** This set with {@code item}; the same instance if it is already in. */
    public ItemSet with(int item) {
        if (Arrays.binarySearch(base, item) >= 0) {
            return this;
        }
        int i = Arrays.binarySearch(run, item);
        if (i >= 0) {
            return this;
        }
        int[] r = insert(run, -i - 1, item);
        if (r.length > Math.max(MIN_RUN, (int) Math.sqrt(base.length))) {
            return new ItemSet(merge(base, r), NONE);
        }
        return new ItemSet(base, r);
    }

    /** This set without {@code item}; the same instance if it is not in. Rare (deletes), so O(n). */
    public ItemSet without(int item) {
        int i = Arrays.binarySearch(run, item);
        if (i >= 0) {
            return new ItemSet(base, remove(run, i));
        }
        i = Arrays.binarySearch(base, item);
        return i < 0 ? this : new ItemSet(remove(base, i), run);
    }

    /** All ids, ascending (a new array). */
    public int[] toArray() {
        return merge(base, run);
    }

    private static int[] insert(int[] a, int at, int item) {
        int[] b = new int[a.length + 1];
        System.arraycopy(a, 0, b, 0, at);
        b[at] = item;
        System.arraycopy(a, at, b, at + 1, a.length - at);
        return b;
    }

    private static int[] remove(int[] a, int at) {
        int[] b = new int[a.length - 1];
        System.arraycopy(a, 0, b, 0, at);
        System.arraycopy(a, at + 1, b, at, b.length - at);
        return b;
    }

    private static int[] merge(int[] a, int[] b) {
        int[] m = new int[a.length + b.length];
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < a.length && j < b.length) {
            m[k++] = a[i] < b[j] ? a[i++] : b[j++];
        }
        System.arraycopy(a, i, m, k, a.length - i);
        System.arraycopy(b, j, m, k + a.length - i, b.length - j);
        return m;
    }
}
