package io.foldin.serve;

import io.foldin.data.Catalog;
import io.foldin.data.RatingLog;
import io.foldin.metrics.Metric;
import io.foldin.metrics.Metrics;
import io.foldin.serve.http.AdminToken;
import io.foldin.serve.http.HttpApi;
import io.foldin.serve.http.HttpSettings;
import io.foldin.serve.http.SampleStatus;
import io.foldin.stream.kafka.EmbeddedKafka;
import io.foldin.stream.kafka.EmbeddedKafkaConfig;
import io.foldin.stream.kafka.Topics;
import io.foldin.stream.live.ModelEpoch;
import io.foldin.stream.replay.ReplayReport;
import io.foldin.stream.replay.Replayer;
import io.foldin.stream.topology.FoldinStreams;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The running service: an embedded broker when no cluster is given, the streaming job, the HTTP
 * API, and on a fresh embedded broker the bundled sample loaded through Kafka and swept once.
 */
public final class FoldinService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FoldinService.class);

    private final ServiceConfig config;
    private final EmbeddedKafka kafka;
    private final String brokers;
    private final Metrics metrics;
    private final FoldinStreams streams;
    private final HttpApi http;
    private volatile Thread loader;
    private final SampleStatus sample;
    private final java.util.concurrent.ScheduledExecutorService progress =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "progress-log");
                t.setDaemon(true);
                return t;
            });
    private long lastEvents;
    private long lastNanos = System.nanoTime();

    private FoldinService(ServiceConfig config, EmbeddedKafka kafka, String brokers, Metrics metrics,
                          FoldinStreams streams, HttpApi http, SampleStatus sample) {
        this.config = config;
        this.kafka = kafka;
        this.brokers = brokers;
        this.metrics = metrics;
        this.streams = streams;
        this.http = http;
        this.sample = sample;
    }

    public static FoldinService start(ServiceConfig config) {
        if (config.httpPort() == 0) {
            // The port is part of Streams' application.server, fixed before the HTTP API can bind: take the
            // port the OS gives now and listen on it below (another process could take it in between; the bind
            // then fails with a message naming the port).
            int port = freePort(config.httpHost());
            LOG.info("http.port 0: the OS gave port {}", port);
            config = config.withHttpPort(port);
        }
        List<io.foldin.experiment.Experiment> experiments = ExperimentFile.read(config.settings().get("experiments"));
        EmbeddedKafka kafka = null;
        String brokers = config.bootstrapServers();
        if (brokers == null) {
            kafka = EmbeddedKafka.start(new EmbeddedKafkaConfig(config.kafkaDataDir(), config.kafkaPort(), false));
            brokers = kafka.bootstrapServers();
            LOG.info("embedded Kafka broker at {}, data under {}", brokers, config.kafkaDataDir());
        }
        try {
            Metrics metrics = new Metrics();
            Topics topics = new Topics(config.partitions(), config.replicationFactor());
            AdminToken admin;
            try {
                admin = AdminToken.resolve(config.settings().get("admin.token"), config.stream().stateDir());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the admin token under " + config.stream().stateDir(), e);
            }
            // Not ready until it is known whether the sample loads: readiness must not flash "ready" before it starts.
            SampleStatus sample = new SampleStatus();
            boolean mayLoadSample = kafka != null && config.loadSample();
            sample.set(mayLoadSample ? SampleStatus.State.LOADING : SampleStatus.State.NONE);
            FoldinStreams streams = FoldinStreams.start(config.streamFor(brokers), topics, metrics);
            // Set before the first record: Streams joins its group and restores before it processes any.
            streams.live().experiments().windowMs(config.experimentWindowMs());
            HttpApi http;
            try {
                ExperimentFile.publish(brokers, experiments);
                http = HttpApi.start(streams, brokers, HttpSettings.from(config), admin, sample);
            } catch (RuntimeException e) {
                streams.close();
                throw e;
            }
            metrics.bindJvm(); // now that nothing failed: the GC binder's listeners go with close()
            FoldinService service = new FoldinService(config, kafka, brokers, metrics, streams, http, sample);
            service.progress.scheduleAtFixedRate(service::logProgress, config.progressIntervalMs(),
                    config.progressIntervalMs(), TimeUnit.MILLISECONDS);
            if (mayLoadSample && isEmpty(brokers, Topics.RATINGS)) {
                service.loadSampleInBackground();
            } else {
                sample.set(SampleStatus.State.NONE);
            }
            return service;
        } catch (RuntimeException e) {
            if (kafka != null) {
                kafka.close();
            }
            throw e;
        }
    }

    private void loadSampleInBackground() {
        Thread t = new Thread(() -> {
            try {
                loadSample();
                sample.set(SampleStatus.State.SWEPT);
            } catch (Exception e) {
                sample.set(SampleStatus.State.FAILED);
                LOG.error("loading the bundled sample failed", e);
            }
        }, "sample-loader");
        t.setDaemon(true);
        loader = t;
        t.start();
    }

    /** Movies and ratings through Kafka, then, once the fold-in has caught up, one full sweep. */
    private void loadSample() throws Exception {
        Catalog movies = SampleData.movies();
        SampleData.produceMovies(brokers, movies);
        RatingLog log = SampleData.ratings();
        ReplayReport r = SampleData.produceRatings(brokers, log, Replayer.Listener.NONE);
        LOG.info("sample: {} movies to {}, {} ratings to {} in {} s", movies.size(), Topics.ITEMS, r.delivered(),
                Topics.RATINGS, String.format("%.1f", r.seconds()));
        long deadline = System.currentTimeMillis() + 10 * 60_000;
        // Item updates a sweep overtook (the early first sweep runs while the sample streams in) are skipped, not
        // folded in: they count as taken, or this would wait for events that never come.
        while (metrics.total(Metric.EVENTS) + metrics.total(Metric.ITEM_UPDATES_SUPERSEDED)
                < 2L * r.delivered() && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        ModelEpoch e = streams.sweeps().requestSweep(config.sampleSweepIterations(), false).get(10, TimeUnit.MINUTES);
        LOG.info("sample: swept, epoch {} holdout_rmse {}", e.epoch(), e.sweep().holdoutRmse());
    }

    /** One structured line per progress interval while events flow: rates, lag, freshness. */
    private void logProgress() {
        long events = metrics.total(Metric.EVENTS);
        long now = System.nanoTime();
        double rate = (events - lastEvents) / ((now - lastNanos) / 1e9) / 2;
        if (events != lastEvents) {
            var age = metrics.histogram(Metric.ITEM_FACTOR_AGE);
            var userAge = metrics.histogram(Metric.USER_FACTOR_AGE);
            LOG.info("progress events_user={} events_item={} events_per_s={} dlq={} lag={} item_factor_age_p50_s={} "
                            + "item_factor_age_p99_s={} user_factor_age_p99_s={} epoch={}",
                    metrics.counter(Metric.EVENTS, "user").sum(),
                    metrics.counter(Metric.EVENTS, "item").sum(), Math.round(rate),
                    metrics.total(Metric.DLQ), Math.round(streams.lag()), age.quantile(0.5), age.quantile(0.99), userAge.quantile(0.99),
                    streams.live().epoch().epoch());
        }
        lastEvents = events;
        lastNanos = now;
    }

    private static int freePort(String host) {
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
            s.bind(new java.net.InetSocketAddress(host, 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for HTTP on " + host + " (" + e.getMessage() + ")", e);
        }
    }

        static boolean isEmpty(String brokers, String topic) {
        Map<String, Object> cfg = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(cfg, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            c.partitionsFor(topic, Duration.ofSeconds(30)).forEach(p -> parts.add(new TopicPartition(topic, p.partition())));
            return c.endOffsets(parts).values().stream().allMatch(o -> o == 0);
        }
    }

    public String brokers() {
        return brokers;
    }

    public Metrics metrics() {
        return metrics;
    }

    public FoldinStreams streams() {
        return streams;
    }

    public ServiceConfig config() {
        return config;
    }

    /** Waits for the sample loader, if one runs (tests, demos). */
    public void awaitSample(Duration timeout) throws InterruptedException {
        Thread t = loader;
        if (t != null) {
            t.join(timeout.toMillis());
        }
    }

    public HttpApi http() {
        return http;
    }

    @Override
    public void close() {
        progress.shutdownNow();
        try {
            http.close();
        } catch (RuntimeException e) {
            LOG.warn("closing the HTTP API: {}", e.toString());
        }
        try {
            streams.close();
        } finally {
            metrics.close();
            if (kafka != null) {
                kafka.close();
            }
        }
    }
}
