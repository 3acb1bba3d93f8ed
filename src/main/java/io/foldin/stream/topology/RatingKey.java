package io.foldin.stream.topology;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.Arrays;

/**
 * Keys and values of the {@code user-ratings} store. Key: {@code userId:int32, itemId:int32}
 * big-endian, so a user's ratings are one contiguous key range (ids are non-negative). Value:
 * {@code rating:float32, timestamp:int64} (seconds).
 */
public final class RatingKey {
    private RatingKey() {
    }

    public static byte[] of(int user, int item) {
        byte[] k = new byte[8];
        putInt(k, 0, user);
        putInt(k, 4, item);
        return k;
    }

    /** First key of user u's range (inclusive). */
    public static byte[] first(int user) {
        return of(user, 0);
    }

    /** Last key of user u's range (inclusive). */
    public static byte[] last(int user) {
        return of(user, Integer.MAX_VALUE);
    }

    public static int user(byte[] k) {
        return getInt(k, 0);
    }

    public static int item(byte[] k) {
        return getInt(k, 4);
    }

    /** The items the user has a stored rating of, ascending: one range scan over the user's keys. */
    public static int[] ratedItems(ReadOnlyKeyValueStore<Bytes, byte[]> store, int userId) {
        int[] items = new int[16];
        int n = 0;
        try (KeyValueIterator<Bytes, byte[]> it = store.range(Bytes.wrap(first(userId)), Bytes.wrap(last(userId)))) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                if (kv.value != null && !Float.isNaN(rating(kv.value))) {
                    if (n == items.length) {
                        items = Arrays.copyOf(items, 2 * n);
                    }
                    items[n++] = item(kv.key.get());
                }
            }
        }
        return Arrays.copyOf(items, n);
    }

    public static byte[] value(float rating, long timestamp) {
        byte[] v = new byte[12];
        putInt(v, 0, Float.floatToRawIntBits(rating));
        putInt(v, 4, (int) (timestamp >>> 32));
        putInt(v, 8, (int) timestamp);
        return v;
    }

    public static float rating(byte[] v) {
        return Float.intBitsToFloat(getInt(v, 0));
    }

    public static long timestamp(byte[] v) {
        return ((long) getInt(v, 4) << 32) | (getInt(v, 8) & 0xFFFFFFFFL);
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    private static int getInt(byte[] b, int off) {
        return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }
}
