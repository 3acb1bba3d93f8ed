package io.foldin.serve;

import io.foldin.metrics.Metric;
import io.foldin.metrics.Metrics;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue #17: {@code docker-compose.yml} is a valid compose file ({@code docker-compose config}, no Docker engine
 * needed) and, as compose resolves it (anchors merged), the cluster it describes: 3 brokers with replication 3
 * and min ISR 2, foldin instances that can be scaled, advertise their own hostname, keep their topics on 3
 * brokers with a standby, and report readiness; and a one-shot loader of the sample that cannot replay twice.
 */
class ComposeFileTest {
    private static final Path FILE = Path.of("docker-compose.yml");
    private static final List<String> BROKERS = List.of("kafka-1", "kafka-2", "kafka-3");

    @Test
    void composeValidatesTheFile() throws Exception {
        Run r = compose("config", "-q");
        assertEquals(0, r.exit, r.out);
    }

    @Test
    void threeBrokersWithReplicationThreeAndMinIsrTwo() throws Exception {
        JsonNode services = resolved().get("services");
        Set<String> nodeIds = new HashSet<>();
        Set<String> clusterIds = new HashSet<>();
        for (String b : BROKERS) {
            JsonNode env = services.get(b).get("environment");
            assertTrue(env != null, b + " is a service");
            nodeIds.add(text(env, "KAFKA_NODE_ID"));
            clusterIds.add(text(env, "CLUSTER_ID"));
            assertEquals("broker,controller", text(env, "KAFKA_PROCESS_ROLES"), b);
            assertEquals("1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093", text(env, "KAFKA_CONTROLLER_QUORUM_VOTERS"), b);
            assertTrue(text(env, "KAFKA_ADVERTISED_LISTENERS").contains("PLAINTEXT://" + b + ":9092"), b);
            for (String k : List.of("KAFKA_DEFAULT_REPLICATION_FACTOR", "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR",
                    "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR")) {
                assertEquals("3", text(env, k), b + " " + k);
            }
            for (String k : List.of("KAFKA_MIN_INSYNC_REPLICAS", "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR",
                    "KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR")) {
                assertEquals("2", text(env, k), b + " " + k);
            }
            assertEquals("false", text(env, "KAFKA_AUTO_CREATE_TOPICS_ENABLE"), b);
            assertTrue(services.get(b).has("healthcheck"), b);
        }
        assertEquals(Set.of("1", "2", "3"), nodeIds);
        assertEquals(1, clusterIds.size(), "one cluster id: " + clusterIds);
    }

    @Test
    void foldinScalesAdvertisesItsHostnameAndReportsReadiness() throws Exception {
        JsonNode foldin = resolved().get("services").get("foldin");
        JsonNode env = foldin.get("environment");
        assertEquals("0.0.0.0", text(env, "FOLDIN_HTTP_HOST"));
        // unset: a wildcard bind host advertises InetAddress.getLocalHost().getHostName(), the container's
        // hostname (a fixed one would be shared by every replica)
        assertFalse(env.has("FOLDIN_HTTP_ADVERTISED_HOST"));
        assertFalse(foldin.has("hostname"), "replicas would share it");
        assertFalse(foldin.has("container_name"), "rules out --scale");
        assertEquals("3", text(env, "FOLDIN_REPLICATION_FACTOR"));
        assertTrue(Integer.parseInt(text(env, "FOLDIN_NUM_STANDBY_REPLICAS")) >= 1);
        assertEquals(3, foldin.get("deploy").get("replicas").asInt());
        // every FOLDIN_* variable names a setting (an unknown one would be ignored silently)
        for (String name : env.propertyNames()) {
            if (name.startsWith("FOLDIN_")) {
                String key = name.substring("FOLDIN_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
                assertTrue(ServiceConfig.DEFAULTS.containsKey(key), name + " is no setting");
            }
        }
        // container port 8080 on an ephemeral host port: a fixed host port would rule out --scale
        JsonNode ports = foldin.get("ports");
        assertEquals(1, ports.size(), ports.toString());
        JsonNode p = ports.get(0);
        assertEquals("8080", p.isObject() ? p.get("target").asString() : p.asString());
        assertTrue(!p.isObject() || !p.has("published") || p.get("published").asString().isEmpty(), ports.toString());
        // no named volume: replicas would share one Kafka Streams state directory
        for (JsonNode v : foldin.path("volumes")) {
            String spec = v.isObject() ? v.path("source").asString() : v.asString();
            assertTrue(spec.startsWith("/") || spec.startsWith("."), "a bind mount, not a named volume: " + v);
        }
        List<String> command = strings(foldin.get("command"));
        assertTrue(command.contains("serve"), command.toString());
        assertEquals("kafka-1:9092,kafka-2:9092,kafka-3:9092", command.get(command.indexOf("--bootstrap-servers") + 1));
        assertTrue(String.join(" ", strings(foldin.get("healthcheck").get("test"))).contains("/health/ready"));
        for (String b : BROKERS) {
            assertEquals("service_healthy", foldin.get("depends_on").get(b).get("condition").asString(), b);
        }
    }

    /** The sample: replayed once foldin created the topics, and never into a topic written to before. */
    @Test
    void theSampleLoaderRunsOnceIntoAnEmptyTopic() throws Exception {
        JsonNode sample = resolved().get("services").get("sample");
        List<String> command = strings(sample.get("command"));
        assertTrue(command.containsAll(List.of("replay", "--if-empty")), command.toString());
        assertEquals("service_healthy", sample.get("depends_on").get("foldin").get("condition").asString());
        assertEquals("no", sample.get("restart").asString());
        String ratings = command.get(command.indexOf("--ratings") + 1);
        boolean mounted = false;
        for (JsonNode v : sample.get("volumes")) {
            String spec = v.isObject() ? v.path("source").asString() + ":" + v.path("target").asString() : v.asString();
            String[] parts = spec.split(":");
            if (ratings.startsWith(parts[1] + "/")) {
                mounted = true;
                assertTrue(Files.isRegularFile(Path.of(parts[0], ratings.substring(parts[1].length() + 1))), spec);
            }
        }
        assertTrue(mounted, "the ratings file is mounted: " + ratings);
    }

    /**
     * Issue #21: Prometheus finds every foldin replica by the service's DNS name on the container port, and
     * Grafana gets the Prometheus datasource and a dashboard whose queries name only series the service exports.
     */
    @Test
    void prometheusScrapesEveryReplicaAndGrafanaShowsOnlyExportedSeries() throws Exception {
        JsonNode services = resolved().get("services");
        JsonNode foldin = services.get("foldin");
        JsonNode ports = foldin.get("ports");
        String containerPort = ports.get(0).isObject() ? ports.get(0).get("target").asString() : ports.get(0).asString();

        Path promConfig = mounted(services.get("prometheus"), "/etc/prometheus/prometheus.yml");
        JsonNode job = new YAMLMapper().readTree(promConfig.toFile()).get("scrape_configs").get(0);
        assertEquals("/metrics", job.get("metrics_path").asString());
        JsonNode sd = job.get("dns_sd_configs").get(0);
        assertEquals(List.of("foldin"), strings(sd.get("names")), "the compose service name, resolved to every replica");
        assertEquals("A", sd.get("type").asString());
        assertEquals(containerPort, sd.get("port").asString());

        JsonNode grafana = services.get("grafana");
        Path provisioning = mounted(grafana, "/etc/grafana/provisioning");
        JsonNode ds = new YAMLMapper().readTree(provisioning.resolve("datasources/prometheus.yml").toFile())
                .get("datasources").get(0);
        assertEquals("prometheus", ds.get("type").asString());
        assertEquals("http://prometheus:9090", ds.get("url").asString());
        JsonNode provider = new YAMLMapper().readTree(provisioning.resolve("dashboards/foldin.yml").toFile())
                .get("providers").get(0);
        String dashboardsTarget = provider.get("options").get("path").asString();
        Path dashboardFile = mounted(grafana, dashboardsTarget).resolve("foldin.json");
        JsonNode dashboard = new tools.jackson.databind.json.JsonMapper().readTree(dashboardFile.toFile());

        Set<String> exported = exportedSeries();
        Pattern name = Pattern.compile("\\b((?:foldin|jvm|kafka|process|system)_[a-zA-Z0-9_]+)");
        Set<String> used = new TreeSet<>();
        int panels = 0;
        for (JsonNode panel : dashboard.get("panels")) {
            panels++;
            assertEquals(ds.get("uid").asString(), panel.get("datasource").get("uid").asString(), panel.toString());
            for (JsonNode target : panel.get("targets")) {
                Matcher m = name.matcher(target.get("expr").asString());
                while (m.find()) {
                    used.add(m.group(1));
                }
            }
        }
        assertTrue(panels >= 6, panels + " panels");
        Set<String> unknown = new TreeSet<>(used);
        unknown.removeAll(exported);
        assertEquals(Set.of(), unknown, "series the dashboard queries but the service does not export");
        for (String wanted : List.of("foldin_events_total", "foldin_item_factor_age_seconds_bucket", "foldin_consumer_lag",
                "foldin_sweep_seconds_max", "foldin_sweep_holdout_rmse", "foldin_http_request_seconds_bucket",
                "jvm_memory_used_bytes", "jvm_gc_pause_seconds_sum")) {
            assertTrue(used.contains(wanted), "no panel shows " + wanted + ": " + used);
        }
    }

    /**
     * Series names a service exports: one meter of every declared {@link Metric} and the JVM binders, after a GC
     * (the GC pause timer appears with the first one). The Kafka binders' names depend on a running client;
     * the dashboard does not use them.
     */
    private static Set<String> exportedSeries() throws InterruptedException {
        try (Metrics m = new Metrics().bindJvm()) {
            for (Metric x : Metric.values()) {
                String[] tags = x.tagKeys().stream().map(k -> "x").toArray(String[]::new);
                switch (x.type()) {
                    case COUNTER -> m.counter(x, tags).increment();
                    case GAUGE -> m.gauge(x, () -> 0);
                    default -> m.histogram(x, tags).observe(0.001);
                }
            }
            System.gc();
            Set<String> out = new TreeSet<>();
            for (int tries = 0; tries < 50 && !out.contains("jvm_gc_pause_seconds_sum"); tries++) {
                Thread.sleep(100);
                m.prometheusText().lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                        .forEach(l -> out.add(l.split("[{ ]", 2)[0]));
            }
            return out;
        }
    }

    /** The host path bind-mounted at {@code target} in {@code service}. */
    private static Path mounted(JsonNode service, String target) {
        for (JsonNode v : service.path("volumes")) {
            String source = v.isObject() ? v.path("source").asString() : v.asString().split(":")[0];
            String at = v.isObject() ? v.path("target").asString() : v.asString().split(":")[1];
            if (at.equals(target)) {
                Path p = Path.of(source);
                assertTrue(Files.exists(p), source + " mounted at " + target + " exists");
                return p;
            }
        }
        throw new AssertionError("nothing mounted at " + target + " in " + service);
    }

    private static String text(JsonNode env, String key) {
        JsonNode v = env.get(key);
        assertTrue(v != null, key + " is set");
        return v.asString();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }

    private static JsonNode resolved() throws Exception {
        Run r = compose("config");
        assertEquals(0, r.exit, r.out);
        return new YAMLMapper().readTree(r.out);
    }

    private record Run(int exit, String out) {
    }

    private static Run compose(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(dockerCompose(), "-f", FILE.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        // the defaults of ${...} in the file, not whatever this shell exports
        pb.environment().keySet().removeIf(k -> k.startsWith("FOLDIN_") || k.startsWith("KAFKA_"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("docker-compose did not finish within 60 s");
        }
        return new Run(p.exitValue(), out);
    }

    /** docker-compose's path; a skip on a developer machine without it, a failure in CI (which installs it, .ci/run). */
    private static String dockerCompose() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, "docker-compose"))) {
                return Path.of(d, "docker-compose").toString();
            }
        }
        String why = "docker-compose is not installed: apt-get install docker-compose";
        if ("true".equals(System.getenv("CI"))) {
            fail(why + "; CI must check docker-compose.yml (.ci/run installs it)");
        }
        Assumptions.assumeTrue(false, why + " to run this test");
        return null;
    }
}
