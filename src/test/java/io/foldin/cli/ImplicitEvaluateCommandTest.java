package io.foldin.cli;

import static io.foldin.cli.EvaluateCommandTest.DATA;
import static io.foldin.cli.EvaluateCommandTest.field;
import static io.foldin.cli.EvaluateCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foldin.eval.RankingMetrics;
import org.junit.jupiter.api.Test;

/** {@code evaluate --model popularity|bpr|ials --implicit-threshold T} through the real CLI on ml-latest-small. */
class ImplicitEvaluateCommandTest {

    @Test
    void popularityReportsEveryRankingKeyAndMatchesTheReference() {
        String out = run("evaluate", "--ratings", DATA + "ratings.csv", "--model", "popularity",
                "--implicit-threshold", "4", "--split", "random:0.1", "--seed", "42", "--json");
        assertTrue(out.contains("\"auc\":"), out);
        for (int k : RankingMetrics.CUTOFFS) {
            for (String m : new String[] {"precision_at_", "recall_at_", "ndcg_at_"}) {
                assertTrue(out.contains("\"" + m + k + "\":"), m + k + " in " + out);
            }
        }
        // the issue's plain popularity baseline on this protocol: AUC 0.871, P@10 0.058
        assertEquals(0.871, field(out, "auc"), 0.01, out);
        assertEquals(0.058, field(out, "precision_at_10"), 0.01, out);
    }

    /**
     * Issue #18's bar with the default BPR settings (chosen on a validation split of the training part): AUC ≥ 0.93
     * and precision@10 ≥ 0.10 at once on the test split (measured 0.9305 / 0.1005; deterministic for the seed).
     */
    @Test
    void defaultBprMeetsTheIssuesBar() {
        String out = run("evaluate", "--ratings", DATA + "ratings.csv", "--model", "bpr", "--implicit-threshold", "4",
                "--split", "random:0.1", "--seed", "42", "--eval-every", "1000", "--json"); // scored after the last epoch only
        assertTrue(field(out, "auc") >= 0.93, out);
        assertTrue(field(out, "precision_at_10") >= 0.10, out);
    }

    @Test
    void bprReportsEveryEpochAndIsDeterministic() {
        String[] args = {"evaluate", "--ratings", DATA + "ratings.csv", "--model", "bpr", "--implicit-threshold", "4",
            "--split", "random:0.1", "--seed", "42", "--epochs", "3", "--factors", "8", "--json"};
        String a = run(args);
        String b = run(args);
        assertEquals(3, a.split("\"epoch\":").length - 1, a);
        assertEquals(4, a.split("\"precision_at_10\":").length - 1, "top level + one per epoch: " + a);
        assertEquals(field(a, "auc"), field(b, "auc"), "same seed, same model");
        assertTrue(field(a, "auc") > 0.5, a);
    }

    @Test
    void ialsBeatsTheReferenceImplicitAlsAndPopularity() {
        String out = run("evaluate", "--ratings", DATA + "ratings.csv", "--model", "ials", "--implicit-threshold", "4",
                "--split", "random:0.1", "--seed", "42", "--threads", "2", "--json");
        assertEquals(15, out.split("\"epoch\":").length - 1, "default sweeps: " + out);
        // the issue's plain iALS on this protocol: AUC 0.886, P@10 0.097; popularity 0.871 / 0.058.
        // The defaults (α 10, λ 60, chosen on a validation split) give 0.919 / 0.106 here.
        assertTrue(field(out, "auc") > 0.91, out);
        assertTrue(field(out, "precision_at_10") > 0.10, out);
        assertTrue(out.contains("\"alpha\":"), out);
    }

    @Test
    void implicitUsageErrors() {
        String csv = DATA + "ratings.csv";
        assertEquals(2, Main.run("evaluate", "--ratings", csv, "--model", "biased", "--epochs", "3"));
        assertEquals(2, Main.run("evaluate", "--ratings", csv, "--model", "biased", "--implicit-threshold", "4"));
        assertEquals(2, Main.run("evaluate", "--ratings", csv, "--model", "popularity", "--learning-rate", "0.1"));
        assertEquals(2, Main.run("evaluate", "--ratings", csv, "--model", "bpr", "--negatives", "some"));
        assertEquals(2, Main.run("evaluate", "--ratings", csv, "--model", "bpr", "--validation", "1.5"));
        assertEquals(2, Main.run("tune", "--ratings", csv, "--model", "bpr"));
        assertEquals(2, Main.run("evaluate", "--ratings", csv, "--model", "bpr", "--alpha", "10"));
        assertEquals(2, Main.run("evaluate", "--ratings", csv, "--model", "ials", "--alpha", "-1"));
        assertEquals(2, Main.run("evaluate", "--ratings", csv, "--model", "ials", "--epochs", "0"));
        assertEquals(2, Main.run("evaluate", "--ratings", csv, "--model", "ials", "--learning-rate", "0.1"));
    }
}
