package io.foldin.stream.topology;

import io.foldin.metrics.Metrics;
import io.foldin.stream.kafka.Topics;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * One of several foldin instances of one application, each in a JVM of its own, so that a test can SIGKILL one
 * in the middle of a gathered sweep. Prints {@code instance <id>} (its name on {@code sweep-control}) and then
 * {@code running}. Arguments: bootstrap servers, state directory.
 */
public final class ScaleOutChild {
    static final String APP = "foldin-scale";

    private ScaleOutChild() {
    }

    /**
     * Long cold sweeps (150 iterations, a second or more) every 12,000 events, so a kill lands in one, and a
     * short sweep timeout, so the survivors give up on a dead leader soon.
     */
    static StreamConfig config(String bootstrap, Path stateDir) {
        return StreamConfig.defaults(bootstrap, stateDir).withApplicationId(APP).withStreamThreads(1)
                .withCommitIntervalMs(1000)
                .withSweep(new StreamConfig.Sweep(12_000, 0, 150, 0.0, 1, false, 0, 5_000));
    }

    public static void main(String[] args) throws Exception {
        FoldinStreams streams = FoldinStreams.start(config(args[0], Path.of(args[1])), Topics.singleNode(), new Metrics());
        System.out.println("instance " + streams.sweepInstance());
        System.out.println(streams.awaitRunning(Duration.ofMinutes(2)) ? "running" : "not running after 2 min");
        new CountDownLatch(1).await();
    }

    static Process start(String bootstrap, Path stateDir, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx384m", "-cp", System.getProperty("java.class.path"),
                ScaleOutChild.class.getName(), bootstrap, stateDir.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
