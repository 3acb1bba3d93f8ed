package io.foldin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The acceptance runs on the bundled ml-latest-small, through the real CLI. */
class EvaluateCommandTest {
    static final String DATA = "src/main/resources/ml-latest-small/";

    static String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            assertEquals(0, Main.run(args), "exit code");
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    static double field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":([-0-9.Ee]+)").matcher(json);
        assertTrue(m.find(), name + " in " + json);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void biasedBiasOnlyAndGenrePriorMeetTheirTargets() {
        String biased = run("evaluate", "--ratings", DATA + "ratings.csv", "--split", "random:0.1", "--seed", "42",
                "--factors", "20", "--iterations", "15", "--json");
        String biasOnly = run("evaluate", "--ratings", DATA + "ratings.csv", "--split", "random:0.1", "--seed", "42",
                "--model", "bias-only", "--json");
        String genre = run("evaluate", "--ratings", DATA + "ratings.csv", "--split", "random:0.1", "--seed", "42",
                "--model", "genre-prior", "--movies", DATA + "movies.csv", "--json");
        double b = field(biased, "test_rmse");
        assertTrue(b <= 0.845, "biased " + b);
        assertTrue(field(biasOnly, "test_rmse") <= 0.865, biasOnly);
        assertTrue(field(genre, "test_rmse") <= b, "genre prior no worse than biased");
        assertTrue(field(genre, "test_rmse_rare_items") < field(biased, "test_rmse_rare_items"),
                "genre prior better on items with <= 3 training ratings");
        assertTrue(biased.startsWith("{\"command\":\"evaluate\""), biased);
        assertEquals(15, biased.split("\"iteration\"").length - 1, "one curve point per sweep");
    }

    /**
     * Issue #19: the variational model on ml-latest-small (random 0.1, seed 42, D = 20, 15 sweeps) is at least as
     * accurate as MAP ALS's 0.8399, and reports a non-decreasing ELBO per sweep and the variances by rating count.
     */
    @Test
    void variationalLosesNoAccuracyAndReportsItsElbo() {
        String out = run("evaluate", "--ratings", DATA + "ratings.csv", "--split", "random:0.1", "--seed", "42",
                "--factors", "20", "--iterations", "15", "--model", "variational", "--json");
        assertTrue(field(out, "test_rmse") <= 0.8399, out);
        Matcher elbo = Pattern.compile("\"elbo\":\\[([^\\]]*)\\]").matcher(out);
        assertTrue(elbo.find(), out);
        String[] values = elbo.group(1).split(",");
        assertEquals(15, values.length);
        for (int k = 1; k < values.length; k++) {
            assertTrue(Double.parseDouble(values[k]) >= Double.parseDouble(values[k - 1]), elbo.group(1));
        }
        assertTrue(out.contains("\"variance_by_rating_count\":[{\"side\":\"item\""), out);
    }

    @Test
    void timeSplitAndCgSolverRun() {
        String out = run("evaluate", "--ratings", DATA + "ratings.csv", "--split", "time:0.2", "--iterations", "3",
                "--solver", "cg", "--json");
        assertTrue(field(out, "test_rmse") < 1.2, out);
    }

    @Test
    void badArgumentsAreUsageErrors() {
        assertEquals(2, Main.run("evaluate", "--ratings", DATA + "ratings.csv", "--model", "genre-prior"));
        assertEquals(2, Main.run("evaluate"));
        assertTrue(Main.run("evaluate", "--ratings", "/nonexistent/ratings.csv") != 0);
    }
}
