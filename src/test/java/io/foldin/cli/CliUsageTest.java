package io.foldin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #22's rough edges of the CLI: every bad usage ends with one clear line and exit code 2 before anything is
 * loaded or started, a runtime failure with exit code 1, and none shows a Java exception.
 */
class CliUsageTest {
    /** A ratings file that does not exist: a command that reached loading would exit 1, not 2. */
    static final String NO_FILE = "/nonexistent/foldin/ratings.csv";

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    static Run run(String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            exit = Main.run(args);
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Exit code 2, the message, one line plus the pointer to --help, and nothing loaded. */
    static void usageError(String message, String... args) {
        Run r = run(args);
        assertEquals(2, r.exit(), r::all);
        assertTrue(r.err().contains(message), () -> "'" + message + "' not in: " + r.err());
        assertEquals(2, r.err().strip().split("\n").length, () -> "one line and the --help pointer: " + r.err());
        assertTrue(r.err().contains("--help' for the options"), r::err);
        assertFalse(r.err().contains("loading"), r::err);
        assertEquals("", r.out());
    }

    @Test
    void aNegativeRatingIsANumberOutOfRange() throws Exception {
        Path csv = dir.resolve("ratings.csv");
        Files.writeString(csv, "userId,movieId,rating,timestamp\n1,3,-1,100\n");
        Run r = run("evaluate", "--ratings", csv.toString());
        assertEquals(1, r.exit(), r::all);
        assertTrue(r.err().contains("ratings.csv:2: rating \"-1\" is outside [0.5, 5.0]"), r::err);
    }

    @Test
    void generateIntoAFileSaysADirectoryIsNeeded() throws Exception {
        Path file = Files.writeString(dir.resolve("afile"), "x");
        usageError("--out " + file + " is a file; it must be a directory", "generate", "--scale", "0.002",
                "--out", file.toString());
    }

    @Test
    void generateBelowTheLeastScaleSaysWhatTheLeastIs() {
        usageError("--scale must be at least 0.001, got 0.0005", "generate", "--scale", "0.0005",
                "--out", dir.toString());
        assertFalse(Files.exists(dir.resolve("ratings.csv")));
    }

    @Test
    void anUnknownModelListsTheValidOnes() {
        usageError("unknown model 'foo': use biased, bias-only, genre-prior, variational, popularity, bpr or ials", "evaluate", "--ratings", NO_FILE,
                "--model", "foo");
    }

    @Test
    void theWarmupIsCheckedBeforeAnythingIsSaid() {
        Run r = run("prequential", "--ratings", NO_FILE, "--warmup", "1.5");
        assertFalse(r.err().contains("warm-up on the first"), r::err);
        usageError("--warmup must be a fraction in (0, 1), got 1.5", "prequential", "--ratings", NO_FILE,
                "--warmup", "1.5");
    }

    @Test
    void serveRefusesABadPortBeforeStartingTheBroker() {
        // the data directory stays empty: the broker never started
        Path kafka = dir.resolve("kafka");
        usageError("http.port must be a port in [0, 65535], got 70000", "serve", "--http-port", "70000",
                "--data-dir", kafka.toString(), "--state-dir", dir.resolve("state").toString());
        usageError("kafka.port must be a port in [0, 65535], got -1", "serve", "--kafka-port", "-1",
                "--data-dir", kafka.toString(), "--state-dir", dir.resolve("state").toString());
        assertFalse(Files.exists(kafka));
    }

    @Test
    void serveOnAPortInUseIsOneLineAndExitCodeOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Path kafka = dir.resolve("kafka");
            Run r = run("serve", "--http-port", Integer.toString(taken.getLocalPort()), "--no-sample",
                    "--data-dir", kafka.toString(), "--state-dir", dir.resolve("state").toString(),
                    "--set", "http.host=127.0.0.1");
            assertEquals(1, r.exit(), r::all);
            assertTrue(r.err().contains("cannot listen for HTTP on 127.0.0.1:" + taken.getLocalPort()), r::err);
            assertTrue(r.err().contains("choose another port with --http-port"), r::err);
            assertEquals(1, r.err().strip().split("\n").length, r::err);
            assertFalse(Files.exists(kafka), "the broker never started");

            Run k = run("serve", "--kafka-port", Integer.toString(taken.getLocalPort()), "--http-port", "0",
                    "--no-sample", "--data-dir", kafka.toString(), "--state-dir", dir.resolve("state").toString());
            assertEquals(1, k.exit(), k::all);
            assertTrue(k.err().contains("cannot listen for embedded Kafka on 127.0.0.1:" + taken.getLocalPort()
                    + " ") && k.err().contains("--kafka-port"), k::err);
            assertFalse(k.all().contains("\tat "), k::all);
            assertFalse(Files.exists(kafka), "the broker never started");
        }
    }

    @Test
    void evaluateChecksEveryOptionBeforeLoading() {
        usageError("--model genre-prior needs --movies FILE", "evaluate", "--ratings", NO_FILE,
                "--model", "genre-prior");
        usageError("--iterations must be >= 1, got 0", "evaluate", "--ratings", NO_FILE, "--iterations", "0");
        usageError("split fraction must be in (0, 1), got 1.5", "evaluate", "--ratings", NO_FILE,
                "--split", "random:1.5");
    }

    @Test
    void optionsThatWouldDoNothingAreRefused() {
        usageError("--guarantee has an effect only with --through-kafka", "prequential", "--ratings", NO_FILE,
                "--guarantee", "foo");
        usageError("--rate has an effect only with --through-kafka", "prequential", "--ratings", NO_FILE,
                "--rate", "5");
        usageError("--guarantee must be at_least_once or exactly_once_v2, got 'foo'", "prequential",
                "--ratings", NO_FILE, "--through-kafka", "--guarantee", "foo");
        usageError("--movies is used only by --model genre-prior, not by --model biased", "evaluate",
                "--ratings", NO_FILE, "--movies", "movies.csv", "--model", "biased");
        usageError("--covariance and --fixed-precisions are used only by --model variational", "evaluate",
                "--ratings", NO_FILE, "--covariance", "full");
        usageError("unknown covariance 'half': use full or diagonal", "evaluate", "--ratings", NO_FILE,
                "--model", "variational", "--covariance", "half");
        usageError("--model variational needs --solver cholesky", "evaluate", "--ratings", NO_FILE,
                "--model", "variational", "--solver", "cg");
        usageError("--model variational learns λ, τ, γ itself", "tune", "--ratings", NO_FILE,
                "--model", "variational");
    }

    @Test
    void everyCommandDocumentsItsExitCodes() {
        for (String command : new String[] {"serve", "broker", "evaluate", "prequential", "generate", "replay",
            "simulate"}) {
            Run r = run(command, "--help");
            assertEquals(0, r.exit(), r::all);
            assertTrue(r.out().contains("Exit codes:"), () -> command + ": " + r.out());
            assertTrue(r.out().matches("(?s).*\\n\\s+1\\s+\\S.*"), () -> command + ": " + r.out());
            assertTrue(r.out().matches("(?s).*\\n\\s+2\\s+Bad usage.*"), () -> command + ": " + r.out());
        }
        String replay = run("replay", "--help").out();
        assertTrue(replay.matches("(?s).*\\n\\s+3\\s+A delivery failed\\..*"), replay);
        assertTrue(replay.matches("(?s).*\\n\\s+130\\s+Interrupted.*"), replay);
    }

    @Test
    void commandSummariesAreOneCompleteSentence() {
        String help = run("--help").out();
        String commands = help.substring(help.indexOf("Commands:"), help.indexOf("Exit codes:"));
        List<String> summaries = new ArrayList<>();
        for (String line : commands.split("\n")) {
            if (line.startsWith("  ") && !line.startsWith("     ")) {
                summaries.add(line.strip().replaceFirst("^\\S+\\s+", ""));
            } else if (line.startsWith("     ")) {
                int last = summaries.size() - 1;
                summaries.set(last, summaries.get(last) + " " + line.strip());
            }
        }
        assertEquals(9, summaries.size(), commands);
        for (String s : summaries) {
            assertTrue(s.endsWith("."), () -> "cut: " + s);
            assertFalse(s.substring(0, s.length() - 1).contains(". "), () -> "more than a sentence: " + s);
            assertTrue(s.length() <= 80, () -> "short: " + s);
        }
    }

    @Test
    void noBadUsageShowsAJavaException() throws Exception {
        Path file = Files.writeString(dir.resolve("afile"), "x");
        String state = dir.resolve("state").toString();
        String kafka = dir.resolve("kafka").toString();
        String[][] usages = {
            {"frobnicate"},
            {"help", "nope"},
            {"serve", "--http-port", "70000", "--data-dir", kafka, "--state-dir", state},
            {"serve", "--http-port", "abc"},
            {"serve", "--kafka-port", "-1", "--data-dir", kafka, "--state-dir", state},
            {"serve", "--set", "no.such.setting=1", "--data-dir", kafka, "--state-dir", state},
            {"serve", "--guarantee", "foo", "--data-dir", kafka, "--state-dir", state},
            {"serve", "--sweep-interval", "soon"},
            {"broker", "--port", "70000"},
            {"broker", "--port", "x"},
            {"broker", "--bogus"},
            {"evaluate"},
            {"evaluate", "--ratings", NO_FILE, "--model", "foo"},
            {"evaluate", "--ratings", NO_FILE, "--model", "genre-prior"},
            {"evaluate", "--ratings", NO_FILE, "--movies", "m.csv"},
            {"evaluate", "--ratings", NO_FILE, "--iterations", "0"},
            {"evaluate", "--ratings", NO_FILE, "--split", "random:1.5"},
            {"evaluate", "--ratings", NO_FILE, "--split", "random:x"},
            {"evaluate", "--ratings", NO_FILE, "--split", "sideways:0.1"},
            {"evaluate", "--ratings", NO_FILE, "--split", "x"},
            {"evaluate", "--ratings", NO_FILE, "--test", "t.csv", "--split", "time:0.1"},
            {"evaluate", "--ratings", NO_FILE, "--solver", "magic"},
            {"evaluate", "--ratings", NO_FILE, "--solver", "cg:0"},
            {"evaluate", "--ratings", NO_FILE, "--factors", "-1"},
            {"evaluate", "--ratings", NO_FILE, "--lambda", "x"},
            {"evaluate", "--ratings", NO_FILE, "--lambda", "0"},
            {"evaluate", "--ratings", NO_FILE, "--threads", "0"},
            {"prequential", "--ratings", NO_FILE, "--warmup", "1.5"},
            {"prequential", "--ratings", NO_FILE, "--warmup", "x"},
            {"prequential", "--ratings", NO_FILE, "--iterations", "0"},
            {"prequential", "--ratings", NO_FILE, "--sweep-every", "-1"},
            {"prequential", "--ratings", NO_FILE, "--guarantee", "foo"},
            {"prequential", "--ratings", NO_FILE, "--rate", "5"},
            {"prequential", "--ratings", NO_FILE, "--through-kafka", "--guarantee", "foo"},
            {"prequential", "--ratings", NO_FILE, "--through-kafka", "--rate", "-1"},
            {"generate"},
            {"generate", "--out", file.toString(), "--scale", "0.002"},
            {"generate", "--out", dir.toString(), "--scale", "0"},
            {"generate", "--out", dir.toString(), "--scale", "0.0009"},
            {"generate", "--out", dir.toString(), "--format", "xml"},
            {"simulate", "--no-ab"},
            {"simulate", "--aa-runs", "-1"},
            {"simulate", "--scale", "0.5"},
            {"simulate", "-k", "0"},
            {"replay", "--ratings", NO_FILE},
            {"replay", "--ratings", NO_FILE, "--bootstrap-servers", "127.0.0.1:1", "--rate", "-1"},
            {"replay", "--ratings", NO_FILE, "--bootstrap-servers", "127.0.0.1:1", "--partitions", "0"},
            {"replay", "--ratings", NO_FILE, "--bootstrap-servers", "127.0.0.1:1", "--producer-property", "x"},
        };
        for (String[] args : usages) {
            Run r = run(args);
            String what = String.join(" ", args) + " -> exit " + r.exit() + ":\n" + r.all();
            assertEquals(2, r.exit(), what);
            assertFalse(r.all().contains("Exception"), what);
            assertFalse(r.all().contains("java.lang."), what);
            assertFalse(r.all().contains("\tat "), what);
        }
        assertFalse(Files.exists(dir.resolve("kafka")), "no broker started");
    }
}
