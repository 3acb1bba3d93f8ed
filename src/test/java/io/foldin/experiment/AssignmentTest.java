package io.foldin.experiment;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hashed assignment: stable, weighted, gradual, and independent between experiments (fixed seeds). */
class AssignmentTest {
    static final double UNIFORM_0 = 0.08336893129075273;
    static final double UNIFORM_1 = 0.9105918996399821;

    static Experiment exp(String name, double traffic, double... weights) {
        StringBuilder b = new StringBuilder("{\"name\":\"" + name + "\",\"traffic\":" + traffic + ",\"variants\":[");
        for (int i = 0; i < weights.length; i++) {
            b.append(i == 0 ? "" : ",").append("{\"name\":\"v").append(i).append("\",\"weight\":").append(weights[i]).append('}');
        }
        return Experiment.parse(b.append("]}").toString(), 0);
    }

    @Test
    void sha256OfNameAndUserFixesTheVariant() {
        // python3 -c "import hashlib; h=hashlib.sha256(b'ab1:1').digest(); print((int.from_bytes(h[:8],'big')>>11)/2**53,
        //             (int.from_bytes(h[8:16],'big')>>11)/2**53)"
        double[] u = Assignment.uniforms("ab1", 1);
        assertEquals(UNIFORM_0, u[0]);
        assertEquals(UNIFORM_1, u[1]);
        // the same on a fresh definition (another instance, a restart): a function of the names alone
        Experiment e = exp("ab1", 1, 1, 1);
        Experiment again = exp("ab1", 1, 1, 1);
        for (int user = 0; user < 1000; user++) {
            assertEquals(Assignment.variant(e, user).name(), Assignment.variant(again, user).name());
        }
    }

    @Test
    void weightsAndTrafficShareAreHonoured() {
        Experiment e = exp("rollout", 0.2, 1, 3);
        int n = 200_000;
        int in = 0;
        int second = 0;
        for (int u = 0; u < n; u++) {
            Experiment.Variant v = Assignment.variant(e, u);
            if (v != null) {
                in++;
                second += v.name().equals("v1") ? 1 : 0;
            }
        }
        // 5 standard errors
        assertEquals(0.2, in / (double) n, 5 * Math.sqrt(0.2 * 0.8 / n));
        assertEquals(0.75, second / (double) in, 5 * Math.sqrt(0.75 * 0.25 / in));
    }

    @Test
    void raisingTrafficKeepsUsersInTheirVariant() {
        Experiment small = exp("grow", 0.05, 1, 1);
        Experiment large = exp("grow", 0.5, 1, 1);
        for (int u = 0; u < 50_000; u++) {
            Experiment.Variant v = Assignment.variant(small, u);
            if (v != null) {
                assertEquals(v.name(), Assignment.variant(large, u).name());
            }
        }
    }

    /**
     * Two experiments on the same users: the 2×2 table of their variants passes a chi-square test of
     * independence (df 1) on 100,000 users drawn with a fixed seed; and across 200 pairs of experiment names
     * the p-values are roughly uniform (about 5% below 0.05).
     */
    @Test
    void concurrentExperimentsAreIndependent() {
        SplittableRandom rnd = new SplittableRandom(20);
        int[] users = new int[100_000];
        for (int i = 0; i < users.length; i++) {
            users[i] = rnd.nextInt(Integer.MAX_VALUE);
        }
        int below = 0;
        int pairs = 200;
        for (int k = 0; k < pairs; k++) {
            Experiment x = exp("x" + k, 1, 1, 1);
            Experiment y = exp("y" + k, 1, 1, 1);
            long[][] t = new long[2][2];
            for (int u : users) {
                t[Assignment.variant(x, u).name().equals("v0") ? 0 : 1][Assignment.variant(y, u).name().equals("v0") ? 0 : 1]++;
            }
            double n = users.length;
            double chi = 0;
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 2; j++) {
                    double e = (t[i][0] + t[i][1]) * (t[0][j] + t[1][j]) / n;
                    chi += (t[i][j] - e) * (t[i][j] - e) / e;
                }
            }
            below += Stats.chiSquareUpper(chi, 1) < 0.05 ? 1 : 0;
        }
        // Binomial(200, 0.05): mean 10, sd 3.1
        assertTrue(below <= 22, below + " of " + pairs + " pairs look dependent at 5%");
    }

    @Test
    void precedenceIsByNameAndTheFirstExperimentSettingAnOptionWins() {
        ExperimentBook book = new ExperimentBook();
        book.put(Experiment.parse("{\"name\":\"b-second\",\"variants\":[{\"name\":\"x\",\"ranking\":{\"biasWeight\":2,"
                + "\"minRatings\":5}},{\"name\":\"y\",\"ranking\":{\"biasWeight\":2,\"minRatings\":5}}]}", 0));
        book.put(Experiment.parse("{\"name\":\"a-first\",\"variants\":[{\"name\":\"x\",\"ranking\":{\"biasWeight\":0}},"
                + "{\"name\":\"y\",\"ranking\":{\"biasWeight\":0}}]}", 0));
        ExperimentBook.Resolved r = book.resolve(42, 1f, 0, false);
        assertEquals(0f, r.biasWeight());
        assertEquals(5, r.minRatings());
        List<ExperimentBook.Assigned> in = r.experiments();
        assertEquals("a-first", in.get(0).experiment().name());
        assertEquals(List.of("biasWeight"), in.get(0).applied());
        assertEquals(List.of("minRatings"), in.get(1).applied());
    }

    @Test
    void unknownRankingOptionsAreRefusedByName() {
        Experiment.Invalid e = assertThrows(Experiment.Invalid.class, () -> Experiment.parse("{\"name\":\"u\","
                + "\"variants\":[{\"name\":\"a\"},{\"name\":\"b\",\"ranking\":{\"ranking\":\"uncertainty\"}}]}", 0));
        assertEquals("unsupported_variant_option", e.code());
        assertTrue(e.getMessage().contains("'ranking'"), e.getMessage());
        assertNull(Assignment.variant(exp("none", 0.0001, 1, 1), 3));
    }
}
