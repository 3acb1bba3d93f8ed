package io.foldin.stream.topology;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ObjLongConsumer;

/**
 * Keys whose factor changed since it was last published, each with the timestamp of its oldest
 * unpublished event. Publishing once per key per interval turns a popular item's hundreds of
 * updates a second into a few records, and the old timestamp keeps the measured freshness honest.
 */
final class Pending {
    private final Map<Integer, Long> oldest = new LinkedHashMap<>();

    void mark(int id, long timestamp) {
        oldest.merge(id, timestamp, Math::min);
    }

    int size() {
        return oldest.size();
    }

    void clear() {
        oldest.clear();
    }

    /** Hands every pending key and its oldest timestamp to {@code publish}, then forgets them. */
    void drain(ObjLongConsumer<Integer> publish) {
        for (Map.Entry<Integer, Long> e : oldest.entrySet()) {
            publish.accept(e.getKey(), e.getValue());
        }
        oldest.clear();
    }
}
