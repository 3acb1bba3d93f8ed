package io.foldin.stream.topology;

import java.nio.ByteBuffer;

/**
 * Value of the compacted topics {@code user-factors} and {@code item-factors} (key: the id, int32
 * big-endian): {@code epoch:int32, count:int32, factor:float32[D], bias:float32}. The record
 * timestamp is that of the rating that caused it, so a reader can measure freshness.
 *
 * <p>Item records may carry the diagonal of the item's posterior covariance with the users fixed,
 * {@code diag((λ G_i + diag(τ,…,τ,γ))⁻¹)} (docs/design.md §1.7, §1.8): then the count's sign bit is set and
 * {@code variance:float32[D+1]} follows the bias. A record without it reads as before (variance null).
 *
 * @param count    ratings the entity has
 * @param factor   {@code [x; b]}, D entries then the bias
 * @param variance the posterior variances of {@code [x; b]}, or null
 */
public record FactorRecord(int epoch, int count, float[] factor, float[] variance) {
    private static final int HAS_VARIANCE = 0x80000000;

    public FactorRecord(int epoch, int count, float[] factor) {
        this(epoch, count, factor, null);
    }

    public byte[] encode() {
        int extra = variance == null ? 0 : variance.length;
        ByteBuffer b = ByteBuffer.allocate(8 + 4 * (factor.length + extra));
        b.putInt(epoch).putInt(variance == null ? count : count | HAS_VARIANCE);
        for (float v : factor) {
            b.putFloat(v);
        }
        if (variance != null) {
            for (float v : variance) {
                b.putFloat(v);
            }
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
        boolean withVariance = (count & HAS_VARIANCE) != 0 && (bytes.length - 8) % 8 == 0;
        int floats = (bytes.length - 8) / 4;
        float[] f = new float[withVariance ? floats / 2 : floats];
        for (int a = 0; a < f.length; a++) {
            f[a] = b.getFloat();
        }
        if (!withVariance) {
            return new FactorRecord(epoch, count, f);
        }
        float[] v = new float[f.length];
        for (int a = 0; a < v.length; a++) {
            v[a] = b.getFloat();
        }
        return new FactorRecord(epoch, count & ~HAS_VARIANCE, f, v);
    }
}
