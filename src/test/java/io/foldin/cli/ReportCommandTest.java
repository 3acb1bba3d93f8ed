package io.foldin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code report}'s bad usage ends with one line and exit code 2, before anything is loaded. */
class ReportCommandTest {
    static final String MOVIES = "src/main/resources/ml-latest-small/movies.csv";

    @TempDir
    Path dir;

    @Test
    void badUsageIsOneLineAndExitCode2() {
        String out = dir.resolve("r.html").toString();
        CliUsageTest.usageError("--model must be biased or variational", "report", "--ratings", CliUsageTest.NO_FILE,
                "--movies", MOVIES, "--model", "bpr", "--out", out);
        CliUsageTest.usageError("--factors must be >= 1", "report", "--ratings", CliUsageTest.NO_FILE,
                "--movies", MOVIES, "--factors", "0", "--out", out);
        CliUsageTest.usageError("no such directory", "report", "--ratings", CliUsageTest.NO_FILE,
                "--movies", MOVIES, "--out", dir.resolve("missing/r.html").toString());
        CliUsageTest.usageError("minimum ratings must be >= 0", "report", "--ratings", CliUsageTest.NO_FILE,
                "--movies", MOVIES, "--min-ratings", "-1", "--out", out);
        CliUsageTest.usageError("--model variational needs --solver cholesky", "report", "--ratings",
                CliUsageTest.NO_FILE, "--movies", MOVIES, "--model", "variational", "--solver", "cg", "--out", out);
        CliUsageTest.usageError("Missing required option: '--movies=FILE'", "report", "--ratings",
                CliUsageTest.NO_FILE, "--out", out);
    }

    /** A missing file is a runtime failure (exit 1, one line), and no page is left behind. */
    @Test
    void aMissingRatingsFileIsExitCode1() {
        Path out = dir.resolve("r.html");
        CliUsageTest.Run r = CliUsageTest.run("report", "--ratings", CliUsageTest.NO_FILE, "--movies", MOVIES,
                "--out", out.toString());
        assertEquals(1, r.exit(), r::all);
        assertTrue(r.err().contains("no such file: " + CliUsageTest.NO_FILE), r::err);
        assertTrue(Files.notExists(out));
    }

    /** An item to rate that the ratings do not have fails after loading, before any sweep. */
    @Test
    void anUnknownDummyItemIsExitCode1BeforeTraining() {
        CliUsageTest.Run r = CliUsageTest.run("report", "--ratings", "src/main/resources/ml-latest-small/ratings.csv",
                "--movies", MOVIES, "--dummy-item", "999999999", "--out", dir.resolve("r.html").toString());
        assertEquals(1, r.exit(), r::all);
        assertTrue(r.err().contains("--dummy-item 999999999: no ratings of that item"), r::err);
        assertTrue(!r.err().contains("sweep 1/"), r::err);
    }
}
