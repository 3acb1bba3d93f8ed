package io.foldin.model;

import java.util.SplittableRandom;

/**
 * Factor vectors and biases of one side (users or items): entity e owns
 * {@code data[e*(D+1) .. e*(D+1)+D)} for its vector and {@code data[e*(D+1)+D]} for its bias, so one
 * solve result {@code [x; b]} is stored in one contiguous run and one fetch brings both.
 */
public final class Factors {
    private final int d;
    private final int stride;
    private final int count;
    private final float[] data;

    public Factors(int count, int d) {
        this.d = d;
        this.stride = d + 1;
        this.count = count;
        this.data = new float[Math.multiplyExact(count, stride)];
    }

    /** Vectors drawn from N(0, scale²) per entry (fixed seed), biases 0. */
    public static Factors random(int count, int d, double scale, long seed) {
        Factors f = new Factors(count, d);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int e = 0; e < count; e++) {
            int off = e * f.stride;
            for (int a = 0; a < d; a++) {
                f.data[off + a] = (float) (rnd.nextGaussian() * scale);
            }
        }
        return f;
    }

    public int dim() {
        return d;
    }

    public int stride() {
        return stride;
    }

    public int count() {
        return count;
    }

    /** Backing array; entity e starts at {@code e * stride()}. */
    public float[] data() {
        return data;
    }

    public int offset(int e) {
        return e * stride;
    }

    public float bias(int e) {
        return data[e * stride + d];
    }

    public float get(int e, int a) {
        return data[e * stride + a];
    }

    public void set(int e, int a, float v) {
        data[e * stride + a] = v;
    }

    /** {@code U_e · V_f} over the D vector entries. */
    public double dot(int e, Factors other, int f) {
        int o1 = e * stride;
        int o2 = f * other.stride;
        double s = 0;
        for (int a = 0; a < d; a++) {
            s += data[o1 + a] * other.data[o2 + a];
        }
        return s;
    }

    public Factors copy() {
        Factors f = new Factors(count, d);
        System.arraycopy(data, 0, f.data, 0, data.length);
        return f;
    }
}
