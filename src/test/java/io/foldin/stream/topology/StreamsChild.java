package io.foldin.stream.topology;

import io.foldin.metrics.Metrics;
import io.foldin.stream.kafka.Topics;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A foldin streams instance in a JVM of its own, so that a test can end it the way a crash does:
 * SIGKILL, no clean shutdown, no last commit, open transactions left to the broker, nothing wiped.
 * Arguments: bootstrap servers, state directory (the configuration is {@link CrashRestartTest#config}).
 */
public final class StreamsChild {
    private StreamsChild() {
    }

    public static void main(String[] args) throws Exception {
        FoldinStreams streams = FoldinStreams.start(CrashRestartTest.config(args[0], Path.of(args[1]), args[2]),
                Topics.singleNode(), new Metrics());
        System.out.println(streams.awaitRunning(Duration.ofMinutes(2)) ? "running" : "not running after 2 min");
        new CountDownLatch(1).await();
    }

    /** Starts a child on this JVM's class path; its stdout and stderr go to {@code log}. */
    static Process start(String bootstrap, Path stateDir, String guarantee, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                StreamsChild.class.getName(), bootstrap, stateDir.toString(), guarantee)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
