package io.foldin.stream.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An {@link EmbeddedKafka} broker in a JVM of its own, on a given data directory and port, so that a test
 * can kill it the way a broker crashes (SIGKILL) and start it again on the same port and data: clients
 * configured with its address then see an outage, not a new cluster. Unlike the bench's
 * {@code StandaloneBroker} it keeps its data on exit. Prints {@code bootstrap_servers=HOST:PORT} once ready.
 * Arguments: data directory, port (0 = a free one).
 */
public final class BrokerChild {
    private static final Pattern READY = Pattern.compile("bootstrap_servers=(\\S+):(\\d+)");

    /** A running child: its process and the address it listens on. */
    public record Handle(Process process, String bootstrapServers, int port) {
        /** SIGKILL, then waits for the process to be gone: no controlled shutdown, nothing flushed by Kafka. */
        public void kill() throws InterruptedException {
            process.destroyForcibly();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("broker child " + process.pid() + " still alive after SIGKILL");
            }
        }
    }

    private BrokerChild() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.start(new EmbeddedKafkaConfig(Path.of(args[0]),
                Integer.parseInt(args[1]), false));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.close();
            stopped.countDown();
        }, "broker-stop"));
        System.out.println("bootstrap_servers=" + kafka.bootstrapServers());
        System.out.flush();
        stopped.await();
    }

    /**
     * Starts a child on this JVM's class path and returns once it is ready; its output goes to {@code log}
     * (appended, so a restart keeps the first run's lines).
     */
    public static Handle start(Path dataDir, int port, Path log, Duration timeout) throws IOException, InterruptedException {
        long from = Files.exists(log) ? Files.size(log) : 0;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                BrokerChild.class.getName(), dataDir.toString(), Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String out = Files.readString(log);
            Matcher m = READY.matcher(out.substring((int) Math.min(from, out.length())));
            if (m.find()) {
                return new Handle(p, m.group(1) + ":" + m.group(2), Integer.parseInt(m.group(2)));
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("broker child exited with " + p.exitValue() + ":\n" + out);
            }
            Thread.sleep(50);
        }
        p.destroyForcibly();
        throw new IllegalStateException("broker child not ready in " + timeout + ":\n" + Files.readString(log));
    }
}
