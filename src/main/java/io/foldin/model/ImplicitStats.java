package io.foldin.model;

import java.nio.ByteBuffer;

/**
 * One entity's implicit-ALS sufficient statistics (docs/design.md §1.9), as the live stream keeps them:
 * <pre>
 *   S = Σ_{j ∈ N} α w_j v_j v_jᵀ   (packed, {@link PackedGram}'s layout, D x D)
 *   h = Σ_{j ∈ N} (1 + α w_j) v_j
 *   n = |N|,  N = the counterparts j with pair weight w_j &gt; 0
 * </pre>
 * where v_j is the other side's vector. The exact minimiser given the other side is
 * {@code x = (G + λI + S)⁻¹ h} with {@code G = Σ_all v vᵀ} ({@link ImplicitAls#solveStats}).
 *
 * <p>A pair's weight moving from w₀ to w₁ with the counterpart's vector v changes them by
 * <pre>
 *   S += α (w₁ − w₀) v vᵀ,   h += (α (w₁ − w₀) + [w₁ &gt; 0] − [w₀ &gt; 0]) v,   n += [w₁ &gt; 0] − [w₀ &gt; 0]
 * </pre>
 * which is exact when v is the vector the pair's earlier contributions were made with; the stream folds each
 * change with the counterpart's vector of the moment, so older contributions keep their older vectors until the
 * next sweep (the approximation of §1.4 and §1.9). Arrays are summed in float64 and stored as such.
 */
public final class ImplicitStats {
    private final int d;
    private final double[] s;
    private final double[] h;
    private final double[] tmp;
    private int count;

    public ImplicitStats(int d) {
        this.d = d;
        this.s = new double[PackedGram.size(d)];
        this.h = new double[d];
        this.tmp = new double[d];
    }

    public int dim() {
        return d;
    }

    /** Counterparts with a positive pair weight. */
    public int count() {
        return count;
    }

    /** S, packed; live, not a copy. */
    public double[] s() {
        return s;
    }

    /** h; live, not a copy. */
    public double[] h() {
        return h;
    }

    /** Back to no interactions. */
    public void clear() {
        java.util.Arrays.fill(s, 0);
        java.util.Arrays.fill(h, 0);
        count = 0;
    }

    /** A pair's weight moved from {@code w0} to {@code w1} (both ≥ 0); v is D floats at {@code v[off ..]}. */
    public void change(float[] v, int off, double w0, double w1, double alpha) {
        if (!(w0 >= 0) || !(w1 >= 0)) {
            throw new IllegalArgumentException("pair weights must be >= 0, got " + w0 + " -> " + w1);
        }
        int enter = (w1 > 0 ? 1 : 0) - (w0 > 0 ? 1 : 0);
        double daw = alpha * (w1 - w0);
        if (daw != 0) {
            ImplicitAls.addOuter(s, d, v, off, daw, tmp);
        }
        if (daw + enter != 0) {
            ImplicitAls.addScaled(h, d, v, off, daw + enter);
        }
        count += enter;
    }

    /**
     * {@code x = (gram + λI + S)⁻¹ h}, D floats to {@code out[off ..]}; false (out untouched) if the system is not
     * positive definite. With no interactions h = 0 and x = 0.
     */
    public boolean solve(double[] gram, ImplicitParams p, float[] out, int off, ImplicitAls.Workspace ws) {
        return ImplicitAls.solveStats(gram, s, h, p, out, off, ws);
    }

    /** {@code count:int32, S:float64[D(D+1)/2], h:float64[D]}. */
    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(encodedBytes(d)).putInt(count);
        for (double v : s) {
            b.putDouble(v);
        }
        for (double v : h) {
            b.putDouble(v);
        }
        return b.array();
    }

    public static int encodedBytes(int d) {
        return 4 + 8 * (PackedGram.size(d) + d);
    }

    /** Replaces this state with an encoded one of the same D. */
    public ImplicitStats decode(byte[] bytes) {
        if (bytes.length != encodedBytes(d)) {
            throw new IllegalArgumentException("implicit stats of " + bytes.length + " bytes, expected "
                    + encodedBytes(d) + " for D = " + d);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        count = b.getInt();
        for (int k = 0; k < s.length; k++) {
            s[k] = b.getDouble();
        }
        for (int k = 0; k < d; k++) {
            h[k] = b.getDouble();
        }
        return this;
    }
}
