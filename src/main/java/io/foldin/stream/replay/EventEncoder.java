package io.foldin.stream.replay;

import io.foldin.stream.event.UserKey;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes a rating event's key (the canonical {@link UserKey}, written in place) and JSON value into reused scratch arrays, with no
 * String or StringBuilder per event: at a million events a second the text path's garbage is what costs.
 * Deliberately tiny and private to replay; the shared {@code RatingEventCodec} can replace it later as long
 * as the bytes stay {@code {"userId":1,"itemId":296,"rating":5.0,"timestamp":1147880044}}.
 *
 * <p>Not thread-safe: one encoder per producing thread.
 */
final class EventEncoder {
    private static final byte[] USER = ascii("{\"userId\":");
    private static final byte[] ITEM = ascii(",\"itemId\":");
    private static final byte[] RATING = ascii(",\"rating\":");
    private static final byte[] TIME = ascii(",\"timestamp\":");

    // longest value: 4 fixed parts (46 B) + 3 longs (20 B each) + a float's shortest form (<= 15 B) + '}'
    private final byte[] value = new byte[160];
    private final byte[] key = new byte[20];
    private int valueLength;
    private int keyLength;

    /** Encodes one event; read the result with {@link #key()} and {@link #value()}. */
    void encode(long userId, long itemId, float rating, long timestamp) {
        // A negative id has no canonical key; its decimal form goes out and the stream dead-letters the event.
        keyLength = userId >= 0 ? UserKey.write(key, 0, userId) : putLong(key, 0, userId);
        int p = put(value, 0, USER);
        p = putLong(value, p, userId);
        p = put(value, p, ITEM);
        p = putLong(value, p, itemId);
        p = put(value, p, RATING);
        p = putRating(value, p, rating);
        p = put(value, p, TIME);
        p = putLong(value, p, timestamp);
        value[p++] = '}';
        valueLength = p;
    }

    /**
     * A right-sized copy of the key. The producer needs an exact-length array and only promises nothing
     * about when it stops reading it, so the scratch array itself is never handed out.
     */
    byte[] key() {
        return Arrays.copyOf(key, keyLength);
    }

    byte[] value() {
        return Arrays.copyOf(value, valueLength);
    }

    int keyLength() {
        return keyLength;
    }

    int valueLength() {
        return valueLength;
    }

    /**
     * Half stars (every MovieLens rating) as {@code d.0} / {@code d.5}, the form JSON readers and the
     * schema examples use; anything else through {@link Float#toString}, whose shortest form reads back as
     * the same float. NaN and infinities are not JSON and are rejected rather than written.
     */
    private static int putRating(byte[] b, int p, float r) {
        if (!Float.isFinite(r)) {
            throw new IllegalArgumentException("rating is not a finite number: " + r);
        }
        float twice = r * 2f;
        if (twice == (int) twice && Math.abs(twice) < 1e9f) {
            int halves = (int) twice;
            if (halves < 0) {
                b[p++] = '-';
                halves = -halves;
            }
            p = putLong(b, p, halves >> 1);
            b[p++] = '.';
            b[p++] = (byte) ((halves & 1) == 0 ? '0' : '5');
            return p;
        }
        return put(b, p, ascii(Float.toString(r)));
    }

    private static int putLong(byte[] b, int p, long v) {
        if (v == Long.MIN_VALUE) {
            return put(b, p, ascii(Long.toString(v)));
        }
        if (v < 0) {
            b[p++] = '-';
            v = -v;
        }
        int end = p + digits(v);
        for (int q = end - 1; q >= p; q--) {
            b[q] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return end;
    }

    private static int digits(long v) {
        int n = 1;
        while (v >= 10) {
            v /= 10;
            n++;
        }
        return n;
    }

    private static int put(byte[] b, int p, byte[] s) {
        System.arraycopy(s, 0, b, p, s.length);
        return p + s.length;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
