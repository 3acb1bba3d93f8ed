package io.foldin.cli;

import static io.foldin.cli.EvaluateCommandTest.DATA;
import static io.foldin.cli.EvaluateCommandTest.field;
import static io.foldin.cli.EvaluateCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code prequential --model ials}: hit rate@10 of fold-in against the static warm-up model, real CLI. */
class ImplicitPrequentialCommandTest {

    @Test
    void foldInFindsTheNextInteractionsTheStaticModelCannot() {
        String[] args = {"prequential", "--ratings", DATA + "ratings.csv", "--model", "ials", "--implicit-threshold", "4",
            "--factors", "16", "--iterations", "5", "--threads", "2", "--json"};
        String out = run(args);
        // the last 20% by time are mostly users unseen in the warm-up: the static model has no vector for them
        double fold = field(out, "hit_rate_at_10_fold_in");
        double fixed = field(out, "hit_rate_at_10_static");
        assertTrue(fold > 0.05, out);
        assertTrue(fold > 5 * fixed, out);
        assertEquals(fold, field(run(args), "hit_rate_at_10_fold_in"), 0.0, "same seed, same stream, same figure");
    }

    @Test
    void implicitUsageErrors() {
        String csv = DATA + "ratings.csv";
        assertEquals(2, Main.run("prequential", "--ratings", csv, "--model", "ials", "--guarantee", "exactly_once_v2"));
        assertEquals(2, Main.run("prequential", "--ratings", csv, "--model", "ials", "--rate", "100"),
                "--rate needs --through-kafka");
        assertEquals(2, Main.run("prequential", "--ratings", csv, "--model", "ials", "--sweep-every", "10"));
        assertEquals(2, Main.run("prequential", "--ratings", csv, "--model", "ials", "--alpha", "-1"));
        assertEquals(2, Main.run("prequential", "--ratings", csv, "--implicit-threshold", "4"));
        assertEquals(2, Main.run("prequential", "--ratings", csv, "--model", "bpr"));
    }
}
