package io.foldin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.foldin.stream.kafka.EmbeddedKafka;
import io.foldin.stream.kafka.EmbeddedKafkaConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code replay} when the cluster fails it: no broker at the address, a broker that stops mid-stream, and
 * Ctrl-C. Each must end within its bounds with a report, never hang.
 */
class ReplayFaultsTest {
    private static final Path BUNDLED = Path.of("src/main/resources/ml-latest-small/ratings.csv");

    @TempDir
    Path dir;

    @Test
    void noBrokerAtTheAddressEndsWithinTheTimeoutAndSaysWhatToCheck() throws Exception {
        String address = "127.0.0.1:" + unusedPort();
        long t0 = System.nanoTime();
        Run run = runInProcess("replay", "--ratings", BUNDLED.toString(), "--bootstrap-servers", address,
                "--delivery-timeout-ms", "3000", "--limit", "100");
        double seconds = (System.nanoTime() - t0) / 1e9;
        // nothing to send to: it cannot start (1); the topic check gives up after the delivery timeout
        assertEquals(1, run.exit(), run.err());
        assertTrue(run.err().contains("no answer from Kafka at " + address) && run.err().contains("check that"),
                run.err());
        assertTrue(!run.err().contains("\tat "), "no stack trace: " + run.err());
        assertTrue(seconds < 15, "took " + seconds + " s");
    }

    @Test
    void aBrokerStoppedMidStreamEndsTheReplayWithAReport() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.start(new EmbeddedKafkaConfig(dir.resolve("kafka"), 0, true));
        try {
            createTopic(kafka.bootstrapServers(), "doomed");
            // 20,000 events at 1,000/s: the stop lands after ~2 s, with most of the file still to go
            CompletableFuture<Run> replay = CompletableFuture.supplyAsync(() -> runInProcess("replay", "--ratings",
                    BUNDLED.toString(), "--bootstrap-servers", kafka.bootstrapServers(), "--topic", "doomed",
                    "--rate", "1000", "--limit", "20000", "--delivery-timeout-ms", "3000", "--json"));
            Thread.sleep(2_000);
            long t0 = System.nanoTime();
            kafka.close();
            Run run = replay.get(60, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertEquals(3, run.exit(), run.out() + run.err());
            assertTrue(run.out().contains("\"stop\":\"delivery_timed_out\""), run.out());
            long attempted = field(run.out(), "attempted");
            long delivered = field(run.out(), "events");
            long errors = field(run.out(), "errors");
            assertEquals(attempted, delivered + errors, run.out());
            assertTrue(delivered > 0 && errors > 0 && attempted < 20_000, run.out());
            assertTrue(run.err().contains("did not acknowledge events within the delivery timeout"), run.err());
            // the delivery timeout, then at most the stop grace
            assertTrue(seconds < 3 + 10 + 5, "ended " + seconds + " s after the broker stopped");
        } finally {
            kafka.close();
        }
    }

    /**
     * Ctrl-C is a signal to a process, so replay runs in a JVM of its own: SIGINT stops it, it prints the
     * report (with --json) and exits with 130.
     */
    @Test
    void ctrlCStopsAPacedReplayWithAReport() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(new EmbeddedKafkaConfig(dir.resolve("kafka"), 0, true))) {
            createTopic(kafka.bootstrapServers(), "interrupted");
            Path out = dir.resolve("replay.out");
            Path err = dir.resolve("replay.err");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    Main.class.getName(), "replay", "--ratings", BUNDLED.toString(), "--bootstrap-servers",
                    kafka.bootstrapServers(), "--topic", "interrupted", "--rate", "500", "--json")
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try {
                // a JVM whose SIGINT was ignored when it started (a background job of a shell without job
                // control) can never see it: nothing to test there
                assumeTrue(!sigintIgnored(child.pid()), "SIGINT is ignored in child processes here");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!Files.readString(err).contains("read ")) {
                    assertTrue(child.isAlive() && System.nanoTime() < deadline, Files.readString(err));
                    Thread.sleep(100);
                }
                Thread.sleep(1_500);
                long t0 = System.nanoTime();
                Process kill = new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).inheritIO().start();
                assertEquals(0, kill.waitFor());
                assertTrue(child.waitFor(30, TimeUnit.SECONDS), "replay still running 30 s after Ctrl-C");
                double seconds = (System.nanoTime() - t0) / 1e9;
                String report = Files.readString(out);
                assertEquals(ReplayInterrupt.EXIT_INTERRUPTED, child.exitValue(), report + Files.readString(err));
                assertTrue(report.contains("\"stop\":\"interrupted\"") && report.contains("\"stopped\":true"), report);
                long attempted = field(report, "attempted");
                long delivered = field(report, "events");
                assertTrue(delivered > 0 && attempted < 100_000, report);
                assertEquals(attempted, delivered + field(report, "errors"), report);
                assertTrue(Files.readString(err).contains("interrupted after"), Files.readString(err));
                assertTrue(seconds < 10, "took " + seconds + " s to stop");
            } finally {
                child.destroyForcibly();
            }
        }
    }

    /** Bit 2 (SIGINT) of the SigIgn mask in /proc/PID/status; false where there is no /proc. */
    private static boolean sigintIgnored(long pid) throws Exception {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        if (!Files.exists(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 2L) != 0;
            }
        }
        return false;
    }

    private static int unusedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static void createTopic(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
        }
    }

    private static long field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
        assertTrue(m.find(), name + " in " + json);
        return Long.parseLong(m.group(1));
    }

    record Run(int exit, String out, String err) {
    }

    /**
     * Main.run with stdout and stderr captured. System.out/err are JVM-wide; the tests of this class run one
     * at a time (JUnit's default), and the broker's own logging goes through the logger, not these.
     */
    private static synchronized Run runInProcess(String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int exit = Main.run(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }
}
