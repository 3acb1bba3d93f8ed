package io.foldin.cli;

import static io.foldin.cli.EvaluateCommandTest.field;
import static io.foldin.cli.EvaluateCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The streaming issue's acceptance figures for the offline prequential run, on the bundled data. */
class PrequentialCommandTest {
    @Test
    void foldInLearnsWhatTheStaticModelCannot() {
        String out = run("prequential", "--ratings", EvaluateCommandTest.DATA + "ratings.csv", "--warmup", "0.8", "--json");
        double fold = field(out, "rmse_fold_in");
        double fixed = field(out, "rmse_static");
        assertTrue(fold <= 0.86, "fold-in " + out);
        assertTrue(fixed >= 1.0, "static " + out);
        assertTrue(field(out, "rmse_with_sweeps") <= fold + 0.005, "sweeps do not hurt: " + out);
        assertTrue(field(out, "streamed_ratings") > 20_000, out);
    }
}
