package io.foldin.bench;

import io.foldin.stream.kafka.EmbeddedKafka;
import io.foldin.stream.kafka.EmbeddedKafkaConfig;
import io.foldin.stream.kafka.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * An {@link EmbeddedKafka} broker in a JVM of its own, for load measurements: the producer under test then
 * does not share a heap, GC or JIT with the broker (as with a real cluster), only the machine's cores.
 * Prints {@code bootstrap_servers=HOST:PORT} on stdout once ready (and writes it to FILE if given), creates
 * the declared topics, and runs until killed; the data directory is wiped on exit.
 * <pre>
 * mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.foldin.bench.StandaloneBroker [FILE]
 * </pre>
 */
public final class StandaloneBroker {
    private StandaloneBroker() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("foldin-bench-kafka");
        EmbeddedKafka kafka = EmbeddedKafka.start(new EmbeddedKafkaConfig(dir, 0, true));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.close();
            stopped.countDown();
        }, "broker-stop"));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            Topics.singleNode().createMissing(admin);
        }
        String line = "bootstrap_servers=" + kafka.bootstrapServers();
        if (args.length > 0) {
            Files.writeString(Path.of(args[0]), kafka.bootstrapServers());
        }
        System.out.println(line);
        System.out.flush();
        stopped.await();
    }
}
