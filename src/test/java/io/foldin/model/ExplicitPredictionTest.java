package io.foldin.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ExplicitPredictionTest {
    /** D = 2, μ = 3.5, U = (1, 2; b_u 0.25), V = (0.5, −0.25; b_i −0.5), rows at offsets 3 and 1. */
    @Test
    void closedFormForKnownAndUnknownSidesAndClipping() {
        float[] users = {9, 9, 9, 1, 2, 0.25f};
        float[] items = {9, 0.5f, -0.25f, -0.5f};
        // 3.5 + 0.25 − 0.5 + (0.5 − 0.5) = 3.25
        assertEquals(3.25, ExplicitPrediction.predict(3.5, users, 3, items, 1, 2, 0.5, 5), 1e-12);
        assertEquals(3.75, ExplicitPrediction.predict(3.5, users, 3, null, 0, 2, 0.5, 5), 1e-12);
        assertEquals(3.0, ExplicitPrediction.predict(3.5, null, 0, items, 1, 2, 0.5, 5), 1e-12);
        assertEquals(3.5, ExplicitPrediction.predict(3.5, null, 0, null, 0, 2, 0.5, 5), 1e-12);
        assertEquals(5.0, ExplicitPrediction.predict(6, users, 3, items, 1, 2, 0.5, 5), 1e-12);
        assertEquals(0.5, ExplicitPrediction.predict(-1, users, 3, items, 1, 2, 0.5, 5), 1e-12);
    }

    /** FactorModel, the training side, predicts through it: same value from its own arrays. */
    @Test
    void factorModelUsesIt() {
        AlsParams p = new AlsParams(3, 1, 15, 3);
        FactorModel m = FactorModel.initial(p, 3.5, 0.5f, 5f, 4, 5, null, 7);
        for (int u = -1; u <= 4; u++) {
            for (int i = -1; i <= 5; i++) {
                boolean ku = u >= 0 && u < 4;
                boolean ki = i >= 0 && i < 5;
                double ref = 3.5 + (ku ? m.users().bias(u) : 0) + (ki ? m.items().bias(i) : 0)
                        + (ku && ki ? m.users().dot(u, m.items(), i) : 0);
                assertEquals(Math.max(0.5, Math.min(5, ref)), m.predict(u, i), 1e-6);
            }
        }
    }
}
