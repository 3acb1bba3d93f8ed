package io.foldin.bench;

import io.foldin.model.PackedGram;
import io.foldin.model.RowGram;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Gram update {@code G += y yᵀ, h += x y} per rating (what fold-in does per event and a sweep does
 * per rating), over 1,024 ratings against a table of 84,432 random item vectors.
 * Run: {@code mvn -q test-compile exec:exec -Djmh.args="GramBench"}.
 * The row kernels ({@link RowGram}) also gather the factor rows, as a sweep does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GramBench {
    private static final int RATINGS = 1024;

    @Param({"20", "64"})
    int factors;

    int n;
    float[] table;
    int[] rows;
    double[] g;
    double[] h;
    double[] tmp;

    @Setup
    public void setup() {
        n = factors + 1;
        SplittableRandom rnd = new SplittableRandom(1);
        int items = 84_432;
        table = new float[items * n];
        for (int j = 0; j < table.length; j++) {
            table[j] = (float) rnd.nextGaussian();
        }
        rows = new int[RATINGS];
        for (int k = 0; k < RATINGS; k++) {
            rows[k] = rnd.nextInt(items);
        }
        g = new double[PackedGram.size(n)];
        h = new double[n];
        tmp = new double[n];
        setupRows();
    }

    double[][] ys;

    /** Whole-row kernels as a sweep calls them: the 1,024 ratings as rows of {@code rowLength}. */
    @Param({"32", "1024"})
    int rowLength;

    RowGram scalarRow;
    RowGram vectorRow;
    int[] cols;
    float[] vals;

    private void setupRows() {
        String old = System.getProperty(RowGram.KERNEL_PROPERTY);
        System.setProperty(RowGram.KERNEL_PROPERTY, "scalar");
        scalarRow = RowGram.create(n);
        System.setProperty(RowGram.KERNEL_PROPERTY, "vector");
        vectorRow = RowGram.create(n);
        if (old == null) {
            System.clearProperty(RowGram.KERNEL_PROPERTY);
        } else {
            System.setProperty(RowGram.KERNEL_PROPERTY, old);
        }
        cols = rows;
        vals = new float[RATINGS];
        for (int k = 0; k < RATINGS; k++) {
            vals[k] = 0.5f * (1 + k % 10);
        }
    }

    private double[] rowKernel(RowGram kernel) {
        for (int k = 0; k < RATINGS; k += rowLength) {
            kernel.form(cols, vals, k, Math.min(RATINGS, k + rowLength), table, n, 3.5, g, h);
        }
        return g;
    }

    @Benchmark
    @OperationsPerInvocation(RATINGS)
    public double[] rowScalar() {
        return rowKernel(scalarRow);
    }

    /** Needs the JVM option --add-modules jdk.incubator.vector (the exec configuration passes it). */
    @Benchmark
    @OperationsPerInvocation(RATINGS)
    public double[] rowVector() {
        return rowKernel(vectorRow);
    }

    @Benchmark
    @OperationsPerInvocation(RATINGS)
    public double[] packedUpdate4() {
        if (ys == null) {
            ys = new double[4][n];
        }
        java.util.Arrays.fill(g, 0);
        for (int k = 0; k < RATINGS; k += 4) {
            for (int q = 0; q < 4; q++) {
                int off = rows[k + q] * n;
                double[] y = ys[q];
                for (int a = 0; a < n - 1; a++) {
                    y[a] = table[off + a];
                }
                y[n - 1] = 1.0;
                PackedGram.addScaled(h, n, table, off, 0.5);
            }
            PackedGram.addOuter4(g, n, ys[0], ys[1], ys[2], ys[3]);
        }
        return g;
    }

    @Benchmark
    @OperationsPerInvocation(RATINGS)
    public double[] packedUpdate() {
        java.util.Arrays.fill(g, 0);
        for (int k = 0; k < RATINGS; k++) {
            int off = rows[k] * n;
            PackedGram.addOuter(g, n, table, off, 1.0, tmp);
            PackedGram.addScaled(h, n, table, off, 0.5);
        }
        return g;
    }
}
