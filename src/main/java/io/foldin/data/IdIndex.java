package io.foldin.data;

import java.util.Arrays;

/**
 * Dense index for external integer ids: the i-th distinct id seen gets index i.
 * Open addressing with linear probing over primitive arrays, so 200k users or 84k items cost a few
 * MB and no boxing.
 */
public final class IdIndex {
    private static final int EMPTY = Integer.MIN_VALUE;

    private int[] keys;
    private int[] slots;
    private int[] ids;
    private int size;

    public IdIndex() {
        this(1024);
    }

    public IdIndex(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new int[cap];
        slots = new int[cap];
        Arrays.fill(keys, EMPTY);
        ids = new int[Math.max(16, expected)];
    }

    /** Index of {@code id}, assigning the next free index if it is new. */
    public int add(int id) {
        if (id == EMPTY) {
            throw new IllegalArgumentException("id " + id + " is reserved");
        }
        int mask = keys.length - 1;
        int p = mix(id) & mask;
        while (true) {
            int k = keys[p];
            if (k == id) {
                return slots[p];
            }
            if (k == EMPTY) {
                break;
            }
            p = (p + 1) & mask;
        }
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
        }
        keys[p] = id;
        slots[p] = size;
        ids[size] = id;
        int index = size++;
        if (size * 2 > keys.length) {
            rehash();
        }
        return index;
    }

    /** Index of {@code id}, or -1 when it was never added. */
    public int indexOf(int id) {
        if (id == EMPTY) {
            return -1;
        }
        int mask = keys.length - 1;
        int p = mix(id) & mask;
        while (true) {
            int k = keys[p];
            if (k == id) {
                return slots[p];
            }
            if (k == EMPTY) {
                return -1;
            }
            p = (p + 1) & mask;
        }
    }

    /** External id of dense index {@code index}. */
    public int idOf(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " of " + size);
        }
        return ids[index];
    }

    public int size() {
        return size;
    }

    /** A copy of the external ids in index order. */
    public int[] ids() {
        return Arrays.copyOf(ids, size);
    }

    private void rehash() {
        int[] oldKeys = keys;
        int[] oldSlots = slots;
        keys = new int[oldKeys.length * 2];
        slots = new int[oldKeys.length * 2];
        Arrays.fill(keys, EMPTY);
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            int k = oldKeys[j];
            if (k != EMPTY) {
                int p = mix(k) & mask;
                while (keys[p] != EMPTY) {
                    p = (p + 1) & mask;
                }
                keys[p] = k;
                slots[p] = oldSlots[j];
            }
        }
    }

    private static int mix(int x) {
        int h = x * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
