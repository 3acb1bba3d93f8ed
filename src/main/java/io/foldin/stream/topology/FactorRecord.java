package io.foldin.stream.topology;

import java.nio.ByteBuffer;

/**
 * Value of the compacted topics {@code user-factors} and {@code item-factors} (key: the id, int32
 * big-endian): {@code epoch:int32, count:int32, factor:float32[D], bias:float32}. The record
 * timestamp is that of the rating that caused it, so a reader can measure freshness.
 *
 * @param count  ratings the entity has
 * @param factor {@code [x; b]}, D entries then the bias
 */
public record FactorRecord(int epoch, int count, float[] factor) {

    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(8 + 4 * factor.length);
        b.putInt(epoch).putInt(count);
        for (float v : factor) {
            b.putFloat(v);
        }
        return b.array();
    }

    /** Decodes a value; D is implied by its length. */
    public static FactorRecord decode(byte[] bytes) {
        if (bytes.length < 12 || bytes.length % 4 != 0) {
            throw new IllegalArgumentException("factor record of " + bytes.length + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int epoch = b.getInt();
        int count = b.getInt();
        float[] f = new float[(bytes.length - 8) / 4];
        for (int a = 0; a < f.length; a++) {
            f[a] = b.getFloat();
        }
        return new FactorRecord(epoch, count, f);
    }
}
