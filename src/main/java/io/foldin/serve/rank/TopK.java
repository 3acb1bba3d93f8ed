package io.foldin.serve.rank;

/**
 * Partial selection of the n best (score, row) pairs from a stream of candidates: a bounded binary
 * min-heap whose root is the weakest kept candidate, so a candidate costs one comparison unless it
 * beats the root ({@code O(N + K log K)} for N candidates instead of a full sort's {@code N log N}).
 *
 * <p>Order: higher score first, ties broken by the lower row, so results are deterministic. NaN
 * scores are never kept. Reusable: {@link #reset} keeps the arrays when the capacity fits. Not
 * thread-safe; one per thread.
 */
public final class TopK {
    private float[] scores;
    private int[] rows;
    private int capacity;
    private int size;
    private boolean sorted;
    private int entered;

    public int entered() {
        return entered;
    }

    public TopK(int capacity) {
        this.scores = new float[Math.max(1, capacity)];
        this.rows = new int[Math.max(1, capacity)];
        reset(capacity);
    }

    /** Empties the selection and sets how many candidates it keeps (>= 1). */
    public void reset(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        if (capacity > scores.length) {
            scores = new float[capacity];
            rows = new int[capacity];
        }
        this.capacity = capacity;
        this.size = 0;
        this.sorted = false;
        this.entered = 0;
    }

    public int capacity() {
        return capacity;
    }

    public int size() {
        return size;
    }

    /**
     * The score a candidate must exceed to enter (ties enter only with a lower row): the weakest
     * kept score once full, else negative infinity. Scans use it to skip work.
     */
    public float threshold() {
        return size < capacity ? Float.NEGATIVE_INFINITY : scores[0];
    }

    public void offer(float score, int row) {
        if (size < capacity) {
            if (score != score) {
                return;
            }
            entered++;
            int i = size++;
            scores[i] = score;
            rows[i] = row;
            siftUp(i);
        } else if (score > scores[0] || (score == scores[0] && row < rows[0])) {
            entered++;
            scores[0] = score;
            rows[0] = row;
            siftDown(0, size);
        }
    }

    /**
     * Orders the kept candidates best first (heap sort in place); afterwards {@link #row} and
     * {@link #score} read them by rank. Further offers are not allowed until {@link #reset}.
     */
    public void sortDescending() {
        if (sorted) {
            return;
        }
        // Repeatedly move the weakest (root) to the end: the array ends up best first.
        for (int end = size - 1; end > 0; end--) {
            swap(0, end);
            siftDown(0, end);
        }
        sorted = true;
    }

    public int row(int rank) {
        checkSorted();
        return rows[rank];
    }

    public float score(int rank) {
        checkSorted();
        return scores[rank];
    }

    private void checkSorted() {
        if (!sorted) {
            throw new IllegalStateException("call sortDescending() before reading by rank");
        }
    }

    /** True when (s1, r1) ranks below (s2, r2): lower score, or equal score and higher row. */
    private static boolean weaker(float s1, int r1, float s2, int r2) {
        return s1 < s2 || (s1 == s2 && r1 > r2);
    }

    private void siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!weaker(scores[i], rows[i], scores[parent], rows[parent])) {
                return;
            }
            swap(i, parent);
            i = parent;
        }
    }

    private void siftDown(int i, int n) {
        while (true) {
            int l = 2 * i + 1;
            if (l >= n) {
                return;
            }
            int w = l;
            int r = l + 1;
            if (r < n && weaker(scores[r], rows[r], scores[l], rows[l])) {
                w = r;
            }
            if (!weaker(scores[w], rows[w], scores[i], rows[i])) {
                return;
            }
            swap(i, w);
            i = w;
        }
    }

    private void swap(int a, int b) {
        float s = scores[a];
        scores[a] = scores[b];
        scores[b] = s;
        int r = rows[a];
        rows[a] = rows[b];
        rows[b] = r;
    }
}
