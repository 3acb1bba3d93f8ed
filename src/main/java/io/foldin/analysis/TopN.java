package io.foldin.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/** The n largest values offered, with their item indices; ties go to the lower index. */
final class TopN {
    private record Entry(int index, double value) {
    }

    private final int n;
    private final PriorityQueue<Entry> heap;

    TopN(int n) {
        this.n = n;
        // the root is the worst kept: the smallest value, and among equal values the largest index
        this.heap = new PriorityQueue<>((a, b) -> a.value != b.value ? Double.compare(a.value, b.value)
                : Integer.compare(b.index, a.index));
    }

    void offer(int index, double value) {
        if (n <= 0 || Double.isNaN(value)) {
            return;
        }
        Entry e = new Entry(index, value);
        if (heap.size() < n) {
            heap.add(e);
        } else if (heap.comparator().compare(e, heap.peek()) > 0) {
            heap.poll();
            heap.add(e);
        }
    }

    /** Best first. */
    List<Ranked> ranked(ItemModel model) {
        List<Entry> all = new ArrayList<>(heap);
        all.sort(heap.comparator().reversed());
        List<Ranked> out = new ArrayList<>(all.size());
        for (Entry e : all) {
            out.add(new Ranked(e.index, model.ids()[e.index], model.titles()[e.index], e.value));
        }
        return out;
    }
}
