package io.foldin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foldin.data.RatingLog;
import io.foldin.data.RatingsReader;
import io.foldin.data.Split;
import io.foldin.model.AlsParams;
import io.foldin.serve.ServiceConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue #24's {@code tune} through the real CLI, on a slice of ml-latest-small. */
class TuneCommandTest {
    static final String NO_FILE = CliUsageTest.NO_FILE;

    @TempDir
    static Path dir;
    static List<String> lines;
    static Path slice;

    @BeforeAll
    static void writeSlice() throws Exception {
        lines = Files.readAllLines(Path.of(EvaluateCommandTest.DATA + "ratings.csv")).subList(0, 15_001);
        slice = Files.write(dir.resolve("slice.csv"), lines);
    }

    static JsonObject tune(Path ratings, String... more) {
        List<String> args = new ArrayList<>(List.of("tune", "--ratings", ratings.toString(), "--factors", "3,6",
                "--tau", "10,20", "--gamma", "3", "--iterations", "3", "--threads", "2", "--json"));
        args.addAll(List.of(more));
        if (!args.contains("--validation")) {
            args.addAll(List.of("--folds", "2"));
        }
        CliUsageTest.Run r = CliUsageTest.run(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r::all);
        return new JsonObject(r.out().strip());
    }

    /**
     * The "test split never seen while choosing": the same file with every test-split rating turned
     * upside down (r to 5.5 - r) gives the same trials and the same choice; only the final test RMSE moves.
     */
    @Test
    void theTestSplitIsNeverSeenWhileChoosing() throws Exception {
        int n = lines.size() - 1;
        boolean[] isTest = testRows(n, 0.1, 42);
        List<String> poisoned = new ArrayList<>(lines.subList(0, 1));
        for (int k = 0; k < n; k++) {
            String[] f = lines.get(k + 1).split(",");
            if (isTest[k]) {
                f[2] = Float.toString(5.5f - Float.parseFloat(f[2]));
            }
            poisoned.add(String.join(",", f));
        }
        Path bad = Files.write(dir.resolve("poisoned.csv"), poisoned);
        // the poison lands on the test split and only there (the same rows as Split's, by its own code)
        Split.TrainTest a = Split.parse("random:0.1", RatingsReader.load(slice), 42);
        Split.TrainTest b = Split.parse("random:0.1", RatingsReader.load(bad), 42);
        assertEquals(ratings(a.train()), ratings(b.train()));
        assertNotEquals(ratings(a.test()), ratings(b.test()));

        JsonObject clean = tune(slice, "--split", "random:0.1", "--seed", "42");
        JsonObject dirty = tune(bad, "--split", "random:0.1", "--seed", "42");
        assertEquals(clean.getJsonArray("trials"), dirty.getJsonArray("trials"), "every validation score the same");
        assertEquals(clean.getJsonObject("best"), dirty.getJsonObject("best"), "the same choice");
        assertTrue(dirty.getDouble("test_rmse") > clean.getDouble("test_rmse") + 0.2,
                () -> "the test split was scored, after choosing: " + clean.getDouble("test_rmse") + " vs "
                        + dirty.getDouble("test_rmse"));
    }

    @Test
    void jsonHasTrialsPerFoldTheBestItsTestRmseAndTheCurve() {
        JsonObject out = tune(slice);
        assertEquals("tune", out.getString("command"));
        JsonArray trials = out.getJsonArray("trials");
        assertEquals(4, trials.size(), "2 x 2 x 1 settings");
        double min = Double.POSITIVE_INFINITY;
        for (int k = 0; k < trials.size(); k++) {
            JsonObject t = trials.getJsonObject(k);
            JsonArray folds = t.getJsonArray("validation_rmse_folds");
            assertEquals(2, folds.size());
            assertEquals((folds.getDouble(0) + folds.getDouble(1)) / 2, t.getDouble("validation_rmse"), 1e-12);
            min = Math.min(min, t.getDouble("validation_rmse"));
        }
        assertEquals(min, out.getJsonObject("best").getDouble("validation_rmse"));
        assertTrue(out.getDouble("test_rmse") > 0.5 && out.getDouble("test_rmse") < 1.5, out::encode);
        assertEquals(2, out.getJsonArray("curve").size(), "one point per D");
        assertTrue(out.getDouble("seconds") > 0);
    }

    @Test
    void randomSearchDrawsTheSameTrialsForTheSameSeed() {
        JsonObject a = tune(slice, "--search", "random", "--trials", "2", "--seed", "5");
        JsonObject b = tune(slice, "--search", "random", "--trials", "2", "--seed", "5");
        assertEquals(2, a.getJsonArray("trials").size());
        assertEquals(a.getJsonArray("trials"), b.getJsonArray("trials"));
    }

    /** --write-config, then serve's own loader: the same D, λ, τ and γ under serve's setting names. */
    @Test
    void writtenConfigIsReadByServe() throws Exception {
        Path file = dir.resolve("tuned.properties");
        JsonObject best = tune(slice, "--validation", "0.2", "--lambda", "1,2", "--write-config", file.toString())
                .getJsonObject("best");
        ServiceConfig config = ServiceConfig.load(file, Map.of(), Map.of());
        AlsParams p = config.stream().params();
        assertEquals(new AlsParams(best.getInteger("factors"), best.getDouble("lambda"), best.getDouble("tau"),
                best.getDouble("gamma")), p);
    }

    /** Without --folds or --validation: one split of 10% of the training part (3-fold moves tau's optimum). */
    @Test
    void theDefaultIsOneValidationSplitOfTenPercent() {
        CliUsageTest.Run r = CliUsageTest.run("tune", "--ratings", slice.toString(), "--factors", "3", "--tau", "15",
                "--gamma", "3", "--iterations", "2", "--json");
        assertEquals(0, r.exit(), r::all);
        JsonObject params = new JsonObject(r.out().strip()).getJsonObject("params");
        assertEquals(0.1, params.getDouble("validation"));
        assertEquals(null, params.getValue("folds"));
        assertEquals(1, new JsonObject(r.out().strip()).getJsonObject("best").getJsonArray("validation_rmse_folds").size());
    }

    @Test
    void theTableNamesTheBestAndItsTestRmse() {
        CliUsageTest.Run r = CliUsageTest.run("tune", "--ratings", slice.toString(), "--factors", "4", "--tau",
                "15", "--gamma", "3", "--validation", "0.1", "--iterations", "2", "--curve", "factors");
        assertEquals(0, r.exit(), r::all);
        assertTrue(r.out().contains("best: factors=4 lambda=1 tau=15 gamma=3"), r.out());
        assertTrue(r.out().contains("test RMSE"), r.out());
        assertTrue(r.out().contains("by D"), "--curve factors with one D: " + r.out());
        assertTrue(r.err().contains("1/1 fits"), "progress bar on stderr: " + r.err());
    }

    @Test
    void badUsageIsOneLineBeforeLoading() {
        CliUsageTest.usageError("--tau values must be > 0", "tune", "--ratings", NO_FILE, "--tau", "0,5");
        CliUsageTest.usageError("--tau range '5:1:1'", "tune", "--ratings", NO_FILE, "--tau", "5:1:1");
        CliUsageTest.usageError("--factors values must be whole numbers", "tune", "--ratings", NO_FILE, "--factors",
                "2.5");
        CliUsageTest.usageError("--gamma value 'x' is not a number", "tune", "--ratings", NO_FILE, "--gamma", "x");
        CliUsageTest.usageError("--search random needs --trials N", "tune", "--ratings", NO_FILE, "--search", "random");
        CliUsageTest.usageError("--trials has an effect only with --search random", "tune", "--ratings", NO_FILE,
                "--trials", "3");
        CliUsageTest.usageError("--search must be grid or random", "tune", "--ratings", NO_FILE, "--search", "all");
        CliUsageTest.usageError("--folds must be >= 2", "tune", "--ratings", NO_FILE, "--folds", "1");
        CliUsageTest.usageError("--validation must be in (0, 1)", "tune", "--ratings", NO_FILE, "--validation", "1");
        CliUsageTest.usageError("mutually exclusive", "tune", "--ratings", NO_FILE, "--folds", "3", "--validation",
                "0.1");
        CliUsageTest.usageError("--curve must be factors", "tune", "--ratings", NO_FILE, "--curve", "tau");
        CliUsageTest.usageError("split must be random:FRACTION", "tune", "--ratings", NO_FILE, "--split", "0.1");
        CliUsageTest.usageError("its directory does not exist", "tune", "--ratings", NO_FILE, "--write-config",
                "/nonexistent/foldin/tuned.properties");
        CliUsageTest.usageError("--movies is used only by --model genre-prior", "tune", "--ratings", NO_FILE,
                "--movies", "movies.csv");
        CliUsageTest.usageError("--factors has no effect with --model bias-only", "tune", "--ratings", NO_FILE,
                "--model", "bias-only", "--factors", "5");
        CliUsageTest.usageError("serve, whose model is biased; not for --model bias-only", "tune", "--ratings",
                NO_FILE, "--model", "bias-only", "--write-config", "tuned.properties");
        CliUsageTest.usageError("--threads must be >= 1", "tune", "--ratings", NO_FILE, "--threads", "0");
        CliUsageTest.usageError("--iterations must be >= 1", "tune", "--ratings", NO_FILE, "--iterations", "0");
    }

    /** The test rows of {@code Split.random}, rebuilt from its documented rule (seeded Fisher-Yates). */
    private static boolean[] testRows(int n, double fraction, long seed) {
        int[] perm = new int[n];
        for (int k = 0; k < n; k++) {
            perm[k] = k;
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int k = n - 1; k > 0; k--) {
            int j = rnd.nextInt(k + 1);
            int t = perm[k];
            perm[k] = perm[j];
            perm[j] = t;
        }
        boolean[] test = new boolean[n];
        for (int k = 0; k < Math.round(n * fraction); k++) {
            test[perm[k]] = true;
        }
        return test;
    }

    private static List<Float> ratings(RatingLog log) {
        List<Float> out = new ArrayList<>(log.size());
        for (int k = 0; k < log.size(); k++) {
            out.add(log.rating(k));
        }
        return out;
    }
}
