package io.foldin.stream.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.nio.file.Path;
import java.util.Map;

/**
 * Time-to-ready of {@link EmbeddedKafka} in a fresh JVM, as {@code serve} would see it. Not a test: run it
 * against the shaded jar (which also proves the broker starts from it), once on an empty dir (format) and
 * again on the same dir (restart):
 * <pre>
 * mvn -q package -DskipTests &amp;&amp; mvn -q test-compile
 * for i in 1 2 3; do rm -rf /tmp/foldin-timing
 *   for run in cold restart; do java -cp target/foldin.jar:target/test-classes \
 *     io.foldin.stream.kafka.BrokerStartupTiming /tmp/foldin-timing; done; done
 * </pre>
 * Prints one JSON object per run: {@code startup_ms} is {@link EmbeddedKafka#startupMillis()},
 * {@code first_admin_ms} adds an Admin client's first answer (describeCluster) after that.
 */
public final class BrokerStartupTiming {

    private BrokerStartupTiming() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : System.getProperty("java.io.tmpdir") + "/foldin-timing");
        long t0 = System.nanoTime();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafkaConfig.defaults().withDataDir(dir))) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                admin.describeCluster().nodes().get();
            }
            long firstAdmin = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("{\"startup_ms\": %d, \"first_admin_ms\": %d, \"cluster_id\": \"%s\", \"data_dir\": \"%s\"}%n",
                    kafka.startupMillis(), firstAdmin, kafka.clusterId(), dir);
        }
    }
}
