package io.foldin.stream.topology;

import io.foldin.model.PackedGram;
import io.foldin.model.SufficientStats;

import java.nio.ByteBuffer;

/**
 * Value of the {@code user-stats} and {@code item-stats} stores: an entity's sufficient statistics
 * (G packed, h, n) and its current solution {@code [x; b]}. Binary, big-endian, fixed size for a
 * given D: {@code count:int64, factor:float32[D+1], G:float64[(D+1)(D+2)/2], h:float64[D+1]},
 * 2,108 bytes at D = 20.
 */
public final class EntityState {
    private final SufficientStats stats;
    private final float[] factor;

    public EntityState(int factors) {
        this(new SufficientStats(factors), new float[factors + 1]);
    }

    private EntityState(SufficientStats stats, float[] factor) {
        this.stats = stats;
        this.factor = factor;
    }

    public SufficientStats stats() {
        return stats;
    }

    /** {@code [x; b]}: the D factor entries, then the bias. */
    public float[] factor() {
        return factor;
    }

    public long count() {
        return stats.count();
    }

    public static int size(int factors) {
        int n = factors + 1;
        return 8 + 4 * n + 8 * PackedGram.size(n) + 8 * n;
    }

    /** Bulk view copies: a per-element put/get loop was a tenth of the stream thread. */
    public byte[] encode() {
        int n = factor.length;
        ByteBuffer b = ByteBuffer.allocate(size(n - 1));
        b.putLong(stats.count());
        b.asFloatBuffer().put(factor);
        b.position(8 + 4 * n);
        b.asDoubleBuffer().put(stats.gram()).put(stats.target());
        return b.array();
    }

    /** @throws IllegalArgumentException when the bytes are not a state of dimension D */
    public static EntityState decode(byte[] bytes, int factors) {
        if (bytes.length != size(factors)) {
            throw new IllegalArgumentException("entity state of " + bytes.length + " bytes, expected "
                    + size(factors) + " for D=" + factors + " (was the store written with another D?)");
        }
        int n = factors + 1;
        ByteBuffer b = ByteBuffer.wrap(bytes);
        long count = b.getLong();
        float[] factor = new float[n];
        b.asFloatBuffer().get(factor);
        b.position(8 + 4 * n);
        double[] g = new double[PackedGram.size(n)];
        double[] h = new double[n];
        b.asDoubleBuffer().get(g).get(h);
        return new EntityState(new SufficientStats(factors, g, h, count), factor);
    }
}
