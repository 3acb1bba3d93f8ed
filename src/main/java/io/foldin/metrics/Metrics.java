package io.foldin.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;

/**
 * The process's metrics, rendered in the Prometheus text format (version 0.0.4). Counters,
 * gauges (read when scraped) and histograms are registered by name, optionally with one label
 * set; names follow Prometheus conventions ({@code foldin_..._total}, {@code ..._seconds}).
 */
public final class Metrics {
    private record Key(String name, String labels) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = name.compareTo(o.name);
            return c != 0 ? c : labels.compareTo(o.labels);
        }
    }

    private final Map<Key, LongAdder> counters = new ConcurrentHashMap<>();
    private final Map<Key, DoubleSupplier> gauges = new ConcurrentHashMap<>();
    private final Map<Key, Histogram> histograms = new ConcurrentHashMap<>();
    private final Map<String, String> help = new ConcurrentHashMap<>();

    public LongAdder counter(String name, String helpText) {
        return counter(name, "", helpText);
    }

    /** @param labels Prometheus label pairs without braces, e.g. {@code reason="value_missing"} */
    public LongAdder counter(String name, String labels, String helpText) {
        describe(name, helpText);
        return counters.computeIfAbsent(new Key(name, labels), k -> new LongAdder());
    }

    public void gauge(String name, String helpText, DoubleSupplier value) {
        describe(name, helpText);
        gauges.put(new Key(name, ""), value);
    }

    public Histogram histogram(String name, String labels, String helpText) {
        describe(name, helpText);
        return histograms.computeIfAbsent(new Key(name, labels), k -> Histogram.latency());
    }

    /** A histogram of other values than durations, with its own bucket bounds (used when first registered). */
    public Histogram histogram(String name, String labels, String helpText, double[] bounds) {
        describe(name, helpText);
        return histograms.computeIfAbsent(new Key(name, labels), k -> new Histogram(bounds));
    }

    public Histogram histogram(String name, String helpText) {
        return histogram(name, "", helpText);
    }

    /**
     * Readers that only look a metric up pass an empty help text; the first non-empty text wins, so the
     * HELP line does not depend on whether a reader or the owner asked first.
     */
    private void describe(String name, String helpText) {
        if (!helpText.isEmpty()) {
            help.putIfAbsent(name, helpText);
        }
    }

    /** Sum of a counter over all its label sets. */
    public long total(String name) {
        long s = 0;
        for (Map.Entry<Key, LongAdder> e : counters.entrySet()) {
            if (e.getKey().name().equals(name)) {
                s += e.getValue().sum();
            }
        }
        return s;
    }

    public String prometheusText() {
        StringBuilder out = new StringBuilder(8192);
        String last = null;
        for (Map.Entry<Key, LongAdder> e : new TreeMap<>(counters).entrySet()) {
            last = header(out, e.getKey().name(), "counter", last);
            out.append(e.getKey().name()).append(labels(e.getKey().labels())).append(' ')
                    .append(e.getValue().sum()).append('\n');
        }
        for (Map.Entry<Key, DoubleSupplier> e : new TreeMap<>(gauges).entrySet()) {
            last = header(out, e.getKey().name(), "gauge", last);
            double v = e.getValue().getAsDouble();
            out.append(e.getKey().name()).append(' ').append(Double.isNaN(v) ? "NaN" : Double.toString(v)).append('\n');
        }
        for (Map.Entry<Key, Histogram> e : new TreeMap<>(histograms).entrySet()) {
            last = header(out, e.getKey().name(), "histogram", last);
            e.getValue().write(out, e.getKey().name(), e.getKey().labels());
        }
        return out.toString();
    }

    private String header(StringBuilder out, String name, String type, String last) {
        if (!name.equals(last)) {
            out.append("# HELP ").append(name).append(' ').append(help.getOrDefault(name, name)).append('\n');
            out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        }
        return name;
    }

    private static String labels(String l) {
        return l.isEmpty() ? "" : "{" + l + "}";
    }
}
