package io.foldin.stream.event;

import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;

import java.util.Arrays;

/**
 * The canonical record key of a user on topic {@code ratings} (and on its re-keyed twin): the userId as a
 * decimal ASCII string without sign or leading zeros, e.g. {@code "296"}. Declared here and nowhere else: the
 * project's producers (replay, {@code POST /ratings}), the HTTP layer's owner look-up and the stream's placement
 * check all go through this class, so they cannot drift apart.
 *
 * <p>A user's <em>owner</em> is the partition that Kafka's default partitioner (the Java producer's and Kafka
 * Streams', the one Streams metadata answers with) gives this key: {@code toPositive(murmur2(key)) % partitions}.
 * Stateless; all methods are static.
 */
public final class UserKey {
    /** Longest canonical key: 2147483647. */
    public static final int MAX_LENGTH = 10;

    /** Serializes a userId to its canonical key, for Streams' {@code queryMetadataForKey}. */
    public static final Serializer<Integer> SERIALIZER = (topic, id) -> of(id);

    private UserKey() {
    }

    /** The canonical key of {@code userId} (>= 0). */
    public static byte[] of(int userId) {
        byte[] b = new byte[MAX_LENGTH];
        return Arrays.copyOf(b, write(b, 0, userId));
    }

    /**
     * Writes the decimal digits of {@code id} (>= 0) at {@code offset}, without allocating; returns the end.
     * For a valid userId that is its canonical key. Takes a long so that replay, which reads ids of any size
     * from files, can write any id and leave it to the stream to reject the ones out of range.
     */
    public static int write(byte[] dst, int offset, long id) {
        if (id < 0) {
            throw new IllegalArgumentException("ids are >= 0, got " + id);
        }
        int n = 1;
        for (long v = id; v >= 10; v /= 10) {
            n++;
        }
        long v = id;
        for (int q = offset + n - 1; q >= offset; q--) {
            dst[q] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return offset + n;
    }

    /** The userId a key names if it is canonical, else -1 (null, empty, sign, leading zero, > 2^31-1, not digits). */
    public static int parse(byte[] key) {
        if (key == null) {
            return -1;
        }
        int n = key.length;
        if (n == 0 || n > MAX_LENGTH || (n > 1 && key[0] == '0')) {
            return -1;
        }
        long v = 0;
        for (byte b : key) {
            if (b < '0' || b > '9') {
                return -1;
            }
            v = v * 10 + (b - '0');
        }
        return v <= Integer.MAX_VALUE ? (int) v : -1;
    }

    /** The owner partition of the user whose canonical key is {@code key}. */
    public static int partitionOfKey(byte[] key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }

    /** The owner partition of {@code userId}. */
    public static int partition(int userId, int partitions) {
        return partitionOfKey(of(userId), partitions);
    }
}
