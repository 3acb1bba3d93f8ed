package io.foldin.stream.topology;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keys whose factor changed since it was last published, each with the timestamp of its oldest
 * unpublished event and the latest value to publish (or null when the publisher reads it itself).
 * Publishing once per key per interval turns a popular item's hundreds of updates a second into a
 * few records, and the old timestamp keeps the measured freshness honest.
 */
final class Pending<V> {
    interface Publisher<V> {
        void publish(int id, long oldestTimestamp, V latest);
    }

    private static final class Entry<V> {
        long oldest;
        V latest;
    }

    private final Map<Integer, Entry<V>> entries = new LinkedHashMap<>();

    void mark(int id, long timestamp, V latest) {
        Entry<V> e = entries.computeIfAbsent(id, k -> {
            Entry<V> n = new Entry<>();
            n.oldest = timestamp;
            return n;
        });
        e.oldest = Math.min(e.oldest, timestamp);
        e.latest = latest;
    }

    boolean contains(int id) {
        return entries.containsKey(id);
    }

    void clear() {
        entries.clear();
    }

    /** Hands every pending key to {@code publisher}, then forgets them. */
    void drain(Publisher<V> publisher) {
        for (Map.Entry<Integer, Entry<V>> e : entries.entrySet()) {
            publisher.publish(e.getKey(), e.getValue().oldest, e.getValue().latest);
        }
        entries.clear();
    }
}
