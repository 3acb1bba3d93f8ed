package io.foldin.serve.http;

import io.foldin.metrics.Metric;
import io.foldin.metrics.Metrics;
import io.foldin.model.AlsParams;
import io.foldin.serve.rank.ItemColumns;
import io.foldin.serve.rank.ItemScan;
import io.foldin.serve.rank.LiveIndex;
import io.foldin.stream.kafka.Topics;
import io.foldin.stream.topology.FoldinStreams;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The HTTP API of one instance: a Vert.x instance with one server verticle per event loop, the
 * column copy of the item table and the scan threads that read it, the producer for POSTed ratings and the client
 * that forwards queries to the instance owning a user. Started by {@code FoldinService}, closed
 * before the stream job.
 */
public final class HttpApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

    private final Vertx vertx;
    private final KafkaProducer<byte[], byte[]> producer;
    private final BatchScanner scanner;
    private final HttpSettings settings;
    /** The producer's client metrics in the registry; closed before the producer. */
    private final Metrics.Binding producerMetrics;

    private HttpApi(Vertx vertx, KafkaProducer<byte[], byte[]> producer, BatchScanner scanner, HttpSettings settings,
                    Metrics.Binding producerMetrics) {
        this.vertx = vertx;
        this.producerMetrics = producerMetrics;
        this.producer = producer;
        this.scanner = scanner;
        this.settings = settings;
    }

    /**
     * @param admin  the admin routes' bearer token
     * @param sample where loading the bundled sample stands (readiness waits for it)
     */
    public static HttpApi start(FoldinStreams streams, String brokers, HttpSettings settings, AdminToken admin,
                                SampleStatus sample) {
        AlsParams params = streams.config().params();
        Metrics metrics = streams.live().metrics();
        ItemColumns columns = new ItemColumns(params.factors());
        streams.live().items().addListener(columns::set);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.ACKS_CONFIG, "all",
                // A POSTed rating should reach the fold-in at once; batching would only add latency here.
                ProducerConfig.LINGER_MS_CONFIG, 0,
                // send() runs on an event loop: never wait long for metadata there.
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000),
                new ByteArraySerializer(), new ByteArraySerializer());
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(settings.eventLoops()));
        LiveIndex index = new LiveIndex(streams.live().items(), settings.indexMinItems(), true);
        BatchScanner scanner = new BatchScanner(streams.live().items(), columns, index, settings.indexProbes(),
                settings.scanThreads(), settings.scanMaxBatch(), metrics);
        try {
            producer.partitionsFor(Topics.RATINGS); // metadata now, not on the first POST
            // as Streams knows this instance (application.server): owners are compared with it, forwards name it
            HostInfo self = new HostInfo(settings.advertisedHost(), settings.port());
            Recommender rec = new Recommender(streams.live(), scanner, params);
            UserStore users = new UserStore(streams.streams(), self, params.factors());
            Forwarder forwarder = new Forwarder(vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                    new PoolOptions().setHttp1MaxSize(64)), self, settings.forwardTimeoutMs());
            LongAdder events = metrics.counter(Metric.EVENTS, "user");
            RateMeter rate = new RateMeter(events::sum, System.nanoTime());
            LiveSeries series = new LiveSeries(rate, streams.live().freshness(), streams::lag);
            vertx.setPeriodic(1000, id -> {
                rate.tick(System.nanoTime());
                streams.live().freshness().tick();
                series.tick(System.currentTimeMillis());
            });
            metrics.gauge(Metric.EVENTS_PER_SECOND, rate::perSecond);
            ExposureLog exposures = new ExposureLog(producer, metrics);
            ImplicitHandlers implicit = new ImplicitHandlers(users, users::interactedItems, forwarder, settings,
                    streams.live(), streams.config().implicit().enabled(), streams.config().implicit().params());
            Routes.Handlers h = new Routes.Handlers(new UserHandlers(users, rec, forwarder, settings, exposures, implicit),
                    new ItemHandlers(rec, settings), new AnonymousHandler(rec, settings, implicit),
                    new RatingsHandler(producer),
                    new OpsHandlers(streams, events, rate, series, sample), new AdminHandlers(streams.sweeps(), admin),
                    new ExperimentHandlers(streams.live().experiments(), producer), new ErrorResponder());
            await(vertx.deployVerticle(() -> new ApiVerticle(h, settings, metrics),
                    new DeploymentOptions().setInstances(settings.eventLoops())));
            LOG.info("HTTP API on http://{}:{}/, advertised to other instances as {}:{} ({} event loops, {} scan "
                            + "threads, batches of up to {}, {} scan kernel)",
                    settings.host(), settings.port(), settings.advertisedHost(), settings.port(), settings.eventLoops(),
                    settings.scanThreads(),
                    settings.scanMaxBatch(), ItemScan.create().name());
            return new HttpApi(vertx, producer, scanner, settings, metrics.bind(new KafkaClientMetrics(producer)));
        } catch (RuntimeException e) {
            await(vertx.close());
            scanner.close();
            producer.close(Duration.ofSeconds(5));
            if (e.getCause() instanceof java.net.BindException b) {
                // an expected failure (the port is taken): one line for the user, no stack trace
                throw new java.io.UncheckedIOException("HTTP API cannot listen on " + settings.host() + ":"
                        + settings.port() + " (" + b.getMessage() + "): another process may use the port; "
                        + "choose another with --http-port", b);
            }
            throw e;
        }
    }

    public HttpSettings settings() {
        return settings;
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException("HTTP API: " + c.getMessage(), c);
        }
    }

    @Override
    public void close() {
        try {
            await(vertx.close());
        } finally {
            scanner.close();
            producerMetrics.close();
            producer.close(Duration.ofSeconds(5));
        }
    }
}
