package io.foldin.bench;

import io.foldin.model.Cholesky;
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
 * {@code symmPosDef}. Run: {@code mvn -q test-compile exec:exec -Djmh.args="SolveBench"}.
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
