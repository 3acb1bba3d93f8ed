package io.foldin.bench;

import io.foldin.model.AlsParams;
import io.foldin.model.AugmentedSolver;
import io.foldin.model.Cholesky;
import io.foldin.model.PackedGram;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One SPD solve of the augmented ALS system (n = D + 1): the in-place kernel against EJML's
 * {@code symmPosDef}, and an item publication's solve with and without the diagonal of {@code A⁻¹}. Run: {@code mvn -q test-compile exec:exec -Djmh.args="SolveBench"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SolveBench {
    @Param({"20", "64"})
    int factors;

    int n;
    double[] a;
    double[] b;
    double[] work;
    double[] x;
    LinearSolverDense<DMatrixRMaj> ejml;
    DMatrixRMaj am;
    DMatrixRMaj bm;
    DMatrixRMaj xm;
    AugmentedSolver solver;
    double[] packed;
    float[] factor;
    float[] variance;

    @Setup
    public void setup() {
        n = factors + 1;
        SplittableRandom rnd = new SplittableRandom(1);
        double[] m = new double[n * n];
        for (int j = 0; j < m.length; j++) {
            m[j] = rnd.nextGaussian();
        }
        a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = i == j ? 15 : 0;
                for (int k = 0; k < n; k++) {
                    s += m[i * n + k] * m[j * n + k];
                }
                a[i * n + j] = s;
            }
        }
        b = new double[n];
        for (int i = 0; i < n; i++) {
            b[i] = rnd.nextGaussian();
        }
        work = new double[n * n];
        x = new double[n];
        ejml = LinearSolverFactory_DDRM.symmPosDef(n);
        am = new DMatrixRMaj(n, n);
        bm = DMatrixRMaj.wrap(n, 1, b.clone());
        xm = new DMatrixRMaj(n, 1);
        solver = new AugmentedSolver(new AlsParams(factors, 1, 15, 3));
        packed = new double[PackedGram.size(n)];
        for (int i = 0, p = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                packed[p++] = a[i * n + j];
            }
        }
        factor = new float[n];
        variance = new float[n];
    }

    /** An item publication without variances: expand the packed Gram, factor, solve. */
    @Benchmark
    public float[] publishFactor() {
        if (!solver.solve(packed, b, null, 0, factor, 0)) {
            throw new IllegalStateException();
        }
        return factor;
    }

    /** An item publication with its posterior variances, from the same factorisation (ItemFoldIn today). */
    @Benchmark
    public float[] publishFactorAndVariance() {
        if (!solver.solveWithVariance(packed, b, null, 0, factor, 0, variance)) {
            throw new IllegalStateException();
        }
        return variance;
    }

    @Benchmark
    public double[] inPlaceCholesky() {
        System.arraycopy(a, 0, work, 0, a.length);
        System.arraycopy(b, 0, x, 0, n);
        if (!Cholesky.factor(work, n)) {
            throw new IllegalStateException();
        }
        Cholesky.solve(work, n, x);
        return x;
    }

    @Benchmark
    public DMatrixRMaj ejmlSymmPosDef() {
        System.arraycopy(a, 0, am.data, 0, a.length);
        if (!ejml.setA(am)) {
            throw new IllegalStateException();
        }
        ejml.solve(bm, xm);
        return xm;
    }
}
