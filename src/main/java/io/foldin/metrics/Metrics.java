package io.foldin.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The process's metrics: a Micrometer {@link PrometheusMeterRegistry} holding the meters of the {@link Metric}s
 * (the one place names, help, tags and buckets are declared), plus whatever binders are bound (JVM, Kafka
 * Streams, Kafka clients). {@link #prometheusText()} is the scrape, in the Prometheus text format 0.0.4.
 *
 * <p>Callers look a meter up once and keep it: a counter is a {@link LongAdder} that the registry reads at
 * scrape time (a {@link FunctionCounter}), so a count on the per-event path costs what it did before Micrometer.
 * Tag values are given in the order of {@link Metric#tagKeys()}.
 */
public final class Metrics implements AutoCloseable {
    private record Key(Metric metric, List<String> tagValues) {
    }

    /** A bound binder; closing it unbinds it (without a checked exception, unlike {@link AutoCloseable}). */
    public interface Binding extends AutoCloseable {
        @Override
        void close();
    }

    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<Key, LongAdder> counters = new ConcurrentHashMap<>();
    private final Map<Key, Histogram> histograms = new ConcurrentHashMap<>();
    private final Map<Metric, AtomicReference<DoubleSupplier>> gauges = new ConcurrentHashMap<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    public Metrics() {
        // histograms bypass Micrometer (its timer cost 4x a LongAdder bucket per record): read at scrape instead
        registry.getPrometheusRegistry().register(new HistogramCollector(histograms::values));
    }

    /** The counter of {@code metric} with these tag values; the same object for the same values. */
    public LongAdder counter(Metric metric, String... tagValues) {
        Key key = key(metric, Metric.Type.COUNTER, tagValues);
        LongAdder found = counters.get(key);
        return found != null ? found : counters.computeIfAbsent(key, k -> {
            LongAdder adder = new LongAdder();
            FunctionCounter.builder(metric.meterName(), adder, LongAdder::sum).description(metric.help())
                    .tags(tags(k)).register(registry);
            return adder;
        });
    }

    /**
     * The histogram of {@code metric} (a timer or a summary) with these tag values: LongAdder buckets that a
     * collector on the Prometheus registry reads at scrape ({@link HistogramCollector}), not a Micrometer meter.
     */
    public Histogram histogram(Metric metric, String... tagValues) {
        if (metric.type() != Metric.Type.TIMER && metric.type() != Metric.Type.SUMMARY) {
            throw new IllegalArgumentException(metric.scrapedName() + " is a " + metric.type() + ", not a histogram");
        }
        Key key = key(metric, metric.type(), tagValues);
        Histogram found = histograms.get(key);
        return found != null ? found : histograms.computeIfAbsent(key, k -> new Histogram(k.metric(), k.tagValues()));
    }

    /**
     * Sets the gauge of {@code metric} (untagged) to read {@code value} at each scrape. A later call replaces the
     * supplier (a restarted component reports its own state), the gauge stays registered once.
     */
    public void gauge(Metric metric, DoubleSupplier value) {
        key(metric, Metric.Type.GAUGE);
        gauges.computeIfAbsent(metric, m -> {
            AtomicReference<DoubleSupplier> ref = new AtomicReference<>(value);
            // strongReference: the registry would otherwise hold the holder weakly and the gauge read NaN after a GC
            Gauge.builder(m.meterName(), ref, r -> r.get().getAsDouble()).description(m.help()).strongReference(true)
                    .register(registry);
            return ref;
        }).set(value);
    }

    /** The counter scraped as {@code name} with Prometheus label pairs such as {@code side="user"}, for readers. */
    public LongAdder counter(String name, String labels) {
        return counter(Metric.byScrapedName(name), values(Metric.byScrapedName(name), labels));
    }

    /** The histogram scraped as {@code name} with Prometheus label pairs (empty: none), for readers. */
    public Histogram histogram(String name, String labels) {
        return histogram(Metric.byScrapedName(name), values(Metric.byScrapedName(name), labels));
    }

    /** Sum of a counter over all its tag values. */
    public long total(Metric metric) {
        long s = 0;
        for (Map.Entry<Key, LongAdder> e : counters.entrySet()) {
            if (e.getKey().metric() == metric) {
                s += e.getValue().sum();
            }
        }
        return s;
    }

    /** Sum of the counter scraped as {@code name} over all its labels. */
    public long total(String name) {
        return total(Metric.byScrapedName(name));
    }

    /**
     * Adds the JVM's meters: memory pools, GC pauses and sizes, threads, class loading, CPU. Only the service
     * binds them (tests make many registries in one JVM, and each GC binder adds listeners until closed).
     */
    public Metrics bindJvm() {
        bind(new JvmMemoryMetrics());
        bind(new JvmGcMetrics());
        bind(new JvmThreadMetrics());
        bind(new ClassLoaderMetrics());
        bind(new ProcessorMetrics());
        return this;
    }

    /**
     * Binds {@code binder} to the registry. A binder that holds resources (a Kafka binder's refresh thread, the GC
     * listeners) is closed with this object, or earlier by closing the handle returned: the owner of a Kafka
     * client closes it before the client, so the binder never reads a closed client's metrics.
     */
    public Binding bind(MeterBinder binder) {
        binder.bindTo(registry);
        if (!(binder instanceof AutoCloseable c)) {
            return () -> { };
        }
        synchronized (closeables) {
            closeables.add(c);
        }
        return () -> {
            synchronized (closeables) {
                closeables.remove(c);
            }
            closeQuietly(c);
        };
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The scrape: Prometheus text format 0.0.4. */
    public String prometheusText() {
        return registry.scrape();
    }

    @Override
    public void close() {
        List<AutoCloseable> all;
        synchronized (closeables) {
            all = new ArrayList<>(closeables);
            closeables.clear();
        }
        all.forEach(Metrics::closeQuietly);
        registry.close();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // a binder that fails to close only leaves listeners behind; nothing to do about it here
        }
    }

    private static Key key(Metric metric, Metric.Type type, String... tagValues) {
        if (metric.type() != type) {
            throw new IllegalArgumentException(metric.scrapedName() + " is a " + metric.type() + ", not a " + type);
        }
        if (tagValues.length != metric.tagKeys().size()) {
            throw new IllegalArgumentException(metric.scrapedName() + " takes tags " + metric.tagKeys() + ", got "
                    + Arrays.toString(tagValues));
        }
        return new Key(metric, List.of(tagValues));
    }

    private static Tags tags(Key k) {
        List<Tag> out = new ArrayList<>(k.tagValues().size());
        for (int i = 0; i < k.tagValues().size(); i++) {
            out.add(Tag.of(k.metric().tagKeys().get(i), k.tagValues().get(i)));
        }
        return Tags.of(out);
    }

    /** Values of {@code labels} ({@code a="x",b="y"}) in the order of the metric's tag keys. */
    private static String[] values(Metric metric, String labels) {
        String[] out = new String[metric.tagKeys().size()];
        Matcher m = LABEL.matcher(labels);
        int found = 0;
        while (m.find()) {
            int i = metric.tagKeys().indexOf(m.group(1));
            if (i < 0) {
                throw new IllegalArgumentException(metric.scrapedName() + " has no tag " + m.group(1));
            }
            out[i] = m.group(2).replace("\\\"", "\"").replace("\\\\", "\\");
            found++;
        }
        if (found != out.length) {
            throw new IllegalArgumentException(metric.scrapedName() + " takes tags " + metric.tagKeys() + ", got "
                    + labels);
        }
        return out;
    }
}
