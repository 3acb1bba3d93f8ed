package io.foldin.stream.topology;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The layout of store {@code implicit-user-items} (docs/design.md §2.3): key (userId, itemId) as {@link RatingKey}
 * (user first, big-endian, so one user's pairs are one key range, in item order), value
 * {@code interactions:float32, rated:int8}: the sum of the pair's interaction weights, and 1 while the pair's
 * latest explicit rating is at or above {@code implicit.threshold}. The pair's weight is
 * {@code w = interactions + rated}; the user has interacted with the item when {@code w > 0}.
 */
public final class ImplicitPairs {
    static final int VALUE_BYTES = 5;

    private ImplicitPairs() {
    }

    static byte[] value(float interactions, boolean rated) {
        return ByteBuffer.allocate(VALUE_BYTES).putFloat(interactions).put((byte) (rated ? 1 : 0)).array();
    }

    static float interactions(byte[] v) {
        return v == null ? 0f : ByteBuffer.wrap(v).getFloat();
    }

    static boolean rated(byte[] v) {
        return v != null && v[4] != 0;
    }

    /** The pair's weight; 0 for a pair never seen (null). */
    public static float weight(byte[] v) {
        return v == null ? 0f : interactions(v) + (rated(v) ? 1f : 0f);
    }

    /** The items the user has interacted with (weight &gt; 0), ascending: one range scan. */
    public static int[] items(ReadOnlyKeyValueStore<Bytes, byte[]> store, int userId) {
        int[] items = new int[16];
        int n = 0;
        try (KeyValueIterator<Bytes, byte[]> it = store.range(Bytes.wrap(RatingKey.first(userId)),
                Bytes.wrap(RatingKey.last(userId)))) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                if (weight(kv.value) > 0) {
                    if (n == items.length) {
                        items = Arrays.copyOf(items, 2 * n);
                    }
                    items[n++] = RatingKey.item(kv.key.get());
                }
            }
        }
        return Arrays.copyOf(items, n);
    }
}
