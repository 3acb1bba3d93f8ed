package io.foldin.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.foldin.data.RatingMatrix;
import io.foldin.model.AlsParams;
import io.foldin.model.Factors;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

class PosteriorVarianceTest {
    /** tr(A⁻¹)_VV / D against a dense inverse of A = λ Σ y yᵀ + diag(τ, …, τ, γ) by EJML. */
    @Test
    void conditionalVarianceIsTheInverseOfTheRowSystem() {
        int d = 4;
        AlsParams p = new AlsParams(d, 1.5, 2.0, 3.0);
        Factors other = Factors.random(30, d, 1.0, 9);
        SplittableRandom rnd = new SplittableRandom(4);
        int rows = 6;
        int[] start = new int[rows + 1];
        int[] cols = new int[60];
        float[] vals = new float[60];
        int k = 0;
        for (int r = 0; r < rows; r++) {
            int n = r == 2 ? 0 : 1 + rnd.nextInt(9); // row 2 has no ratings
            for (int j = 0; j < n; j++) {
                cols[k] = rnd.nextInt(30);
                vals[k++] = 1 + rnd.nextInt(5);
            }
            start[r + 1] = k;
        }
        double[] got = PosteriorVariance.conditional(new RatingMatrix.Csr(start, cols, vals), other, p, 3.5);
        for (int r = 0; r < rows; r++) {
            DMatrixRMaj a = new DMatrixRMaj(d + 1, d + 1);
            for (int q = 0; q < d; q++) {
                a.set(q, q, p.tau());
            }
            a.set(d, d, p.gamma());
            for (int j = start[r]; j < start[r + 1]; j++) {
                double[] y = new double[d + 1];
                for (int q = 0; q < d; q++) {
                    y[q] = other.get(cols[j], q);
                }
                y[d] = 1;
                for (int s = 0; s <= d; s++) {
                    for (int t = 0; t <= d; t++) {
                        a.add(s, t, p.lambda() * y[s] * y[t]);
                    }
                }
            }
            CommonOps_DDRM.invert(a);
            double tr = 0;
            for (int q = 0; q < d; q++) {
                tr += a.get(q, q);
            }
            assertEquals(tr / d, got[r], 1e-9, "row " + r);
        }
        assertEquals(1 / p.tau(), got[2], 1e-12);
    }
}
