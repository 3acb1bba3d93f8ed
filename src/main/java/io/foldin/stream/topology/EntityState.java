package io.foldin.stream.topology;

import io.foldin.model.PackedGram;
import io.foldin.model.SufficientStats;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Value of the {@code user-stats} and {@code item-stats} stores: an entity's sufficient statistics
 * (G packed, h, n) and its current solution {@code [x; b]}. Binary, big-endian, fixed size for a
 * given D: {@code count:int64, factor:float32[D+1], G:float32[(D+1)(D+2)/2], h:float32[D+1]},
 * 1,100 bytes at D = 20.
 *
 * <p>G and h are sums in float64 in memory and stored in float32: every changed state is written to
 * RocksDB and its changelog once per commit, and at 50k events/s those bytes were most of what the
 * broker, the log cleaner and the stores' flushes handled. Sums between two commits are exact in
 * float64; at each commit the state is rounded to what was stored ({@link #roundToStored}), a relative
 * 6e-8 of G and h, so a state held in memory and one read back from the store or the changelog are the
 * same numbers, whatever the memory bound or a restart. The statistics drift far more than that as the
 * other side's factors move, until a sweep rebuilds them. States written in float64 by earlier versions
 * ({@link #legacySize}) are still read.
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

    private static final VarHandle FLOAT = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.BIG_ENDIAN);

    public static int size(int factors) {
        int n = factors + 1;
        return 8 + 4 * n + 4 * PackedGram.size(n) + 4 * n;
    }

    /** The float64 layout of G and h written before they were stored in float32. */
    static int legacySize(int factors) {
        int n = factors + 1;
        return 8 + 4 * n + 8 * PackedGram.size(n) + 8 * n;
    }

    /** Bulk view copies and array-view stores: a per-element ByteBuffer loop was a tenth of the stream thread. */
    public byte[] encode() {
        int n = factor.length;
        byte[] out = new byte[size(n - 1)];
        ByteBuffer b = ByteBuffer.wrap(out);
        b.putLong(stats.count());
        b.asFloatBuffer().put(factor);
        int at = putFloats(out, 8 + 4 * n, stats.gram());
        putFloats(out, at, stats.target());
        return out;
    }

    /** Rounds G and h in place to the float32 values {@link #encode} stores. */
    public void roundToStored() {
        round(stats.gram());
        round(stats.target());
    }

    private static void round(double[] values) {
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) values[i];
        }
    }

    private static int putFloats(byte[] out, int at, double[] values) {
        for (double v : values) {
            FLOAT.set(out, at, (float) v);
            at += 4;
        }
        return at;
    }

    /** @throws IllegalArgumentException when the bytes are not a state of dimension D */
    public static EntityState decode(byte[] bytes, int factors) {
        boolean legacy = bytes.length == legacySize(factors);
        if (bytes.length != size(factors) && !legacy) {
            throw new IllegalArgumentException("entity state of " + bytes.length + " bytes, expected "
                    + size(factors) + " for D=" + factors + " (was the store written with another D?)");
        }
        int n = factors + 1;
        ByteBuffer b = ByteBuffer.wrap(bytes);
        long count = b.getLong();
        float[] factor = new float[n];
        b.asFloatBuffer().get(factor);
        int at = 8 + 4 * n;
        double[] g = new double[PackedGram.size(n)];
        double[] h = new double[n];
        if (legacy) {
            b.position(at);
            b.asDoubleBuffer().get(g).get(h);
        } else {
            at = getFloats(bytes, at, g);
            getFloats(bytes, at, h);
        }
        return new EntityState(new SufficientStats(factors, g, h, count), factor);
    }

    private static int getFloats(byte[] in, int at, double[] values) {
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) FLOAT.get(in, at);
            at += 4;
        }
        return at;
    }
}
