package io.foldin.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class KernelVariants {
    static final int R = 1024;
    int d = 20, n = 21, P = 24;
    float[] table; int[] rows; double[] gd; float[] gf; float[] p; float[] out; float[] ytmp;

    @Setup public void setup() {
        SplittableRandom rnd = new SplittableRandom(1);
        table = new float[84432 * n];
        for (int j = 0; j < table.length; j++) table[j] = (float) rnd.nextGaussian();
        rows = new int[R]; for (int k = 0; k < R; k++) rows[k] = rnd.nextInt(84432);
        gd = new double[n * n]; gf = new float[P * P]; p = new float[n]; out = new float[n];
        for (int a = 0; a < n; a++) p[a] = 0.1f * a;
        ytmp = new float[4 * P];
    }

    /** full square double, one rating at a time */
    @Benchmark @OperationsPerInvocation(R) public double[] squareDouble() {
        double[] g = gd; java.util.Arrays.fill(g, 0);
        for (int k = 0; k < R; k++) {
            int off = rows[k] * n;
            for (int a = 0; a < n; a++) { double ya = table[off + a]; int ro = a * n;
                for (int b = 0; b < n; b++) g[ro + b] += ya * table[off + b]; }
        }
        return g;
    }

    /** float square padded to 24, four ratings per pass over G */
    @Benchmark @OperationsPerInvocation(R) public float[] squareFloat4() {
        float[] g = gf; java.util.Arrays.fill(g, 0); float[] y = ytmp;
        for (int k = 0; k < R; k += 4) {
            for (int q = 0; q < 4; q++) System.arraycopy(table, rows[k + q] * n, y, q * P, n);
            for (int a = 0; a < n; a++) {
                float s0 = y[a], s1 = y[P + a], s2 = y[2 * P + a], s3 = y[3 * P + a]; int ro = a * P;
                for (int b = 0; b < P; b++) g[ro + b] += s0 * y[b] + s1 * y[P + b] + s2 * y[2 * P + b] + s3 * y[3 * P + b];
            }
        }
        return g;
    }

    float[] yt = new float[21 * R]; float[] q = new float[R];
    /** dimension-major gathered rows; matvec as axpy over k then 4-way-split dots over k */
    @Benchmark @OperationsPerInvocation(R) public float[] cgMatvecDimMajor() {
        for (int k = 0; k < R; k++) { int off = rows[k] * n; for (int a = 0; a < n; a++) yt[a * R + k] = table[off + a]; }
        java.util.Arrays.fill(q, 0);
        for (int a = 0; a < n; a++) { float pa = p[a]; int ro = a * R; for (int k = 0; k < R; k++) q[k] += pa * yt[ro + k]; }
        for (int a = 0; a < n; a++) { int ro = a * R; float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (int k = 0; k < R; k += 4) { s0 += yt[ro + k] * q[k]; s1 += yt[ro + k + 1] * q[k + 1]; s2 += yt[ro + k + 2] * q[k + 2]; s3 += yt[ro + k + 3] * q[k + 3]; }
            out[a] = s0 + s1 + s2 + s3; }
        return out;
    }
    /** same without the gather (cost of one more CG step once gathered) */
    @Benchmark @OperationsPerInvocation(R) public float[] cgStepDimMajorNoGather() {
        java.util.Arrays.fill(q, 0);
        for (int a = 0; a < n; a++) { float pa = p[a]; int ro = a * R; for (int k = 0; k < R; k++) q[k] += pa * yt[ro + k]; }
        for (int a = 0; a < n; a++) { int ro = a * R; float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (int k = 0; k < R; k += 4) { s0 += yt[ro + k] * q[k]; s1 += yt[ro + k + 1] * q[k + 1]; s2 += yt[ro + k + 2] * q[k + 2]; s3 += yt[ro + k + 3] * q[k + 3]; }
            out[a] = s0 + s1 + s2 + s3; }
        return out;
    }
    /** Gram from dimension-major rows: 231 dots, 4 accumulators */
    float[] gp = new float[231];
    @Benchmark @OperationsPerInvocation(R) public float[] gramDimMajorDots() {
        int idx = 0;
        for (int a = 0; a < n; a++) { int ra = a * R; for (int b = a; b < n; b++) { int rb = b * R; float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (int k = 0; k < R; k += 4) { s0 += yt[ra + k] * yt[rb + k]; s1 += yt[ra + k + 1] * yt[rb + k + 1]; s2 += yt[ra + k + 2] * yt[rb + k + 2]; s3 += yt[ra + k + 3] * yt[rb + k + 3]; }
            gp[idx++] = s0 + s1 + s2 + s3; } }
        return gp;
    }
    /** one CG matvec per rating: q = y.p ; out += q y */
    @Benchmark @OperationsPerInvocation(R) public float[] cgMatvec() {
        float[] o = out; java.util.Arrays.fill(o, 0);
        for (int k = 0; k < R; k++) {
            int off = rows[k] * n; float q = 0;
            for (int a = 0; a < n; a++) q += table[off + a] * p[a];
            for (int a = 0; a < n; a++) o[a] += q * table[off + a];
        }
        return o;
    }
}
