package io.foldin.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Exports the {@link Histogram}s at scrape time, registered on the Prometheus registry under Micrometer's:
 * per {@link Metric}, one histogram family (its scraped name, {@code _bucket}/{@code _count}/{@code _sum}, one
 * data point per tag set) and one {@code <name>_max} gauge family, the series Micrometer's timers exported.
 */
final class HistogramCollector implements MultiCollector {
    private final Supplier<Collection<Histogram>> histograms;

    HistogramCollector(Supplier<Collection<Histogram>> histograms) {
        this.histograms = histograms;
    }

    @Override
    public MetricSnapshots collect() {
        Map<Metric, HistogramSnapshot.Builder> hist = new EnumMap<>(Metric.class);
        Map<Metric, GaugeSnapshot.Builder> max = new EnumMap<>(Metric.class);
        for (Histogram h : histograms.get()) {
            Metric m = h.metric();
            Labels labels = Labels.of(m.tagKeys(), h.tagValues());
            // max first: a record between the two reads then shows in the buckets, never a max above them
            double recentMax = h.max();
            hist.computeIfAbsent(m, k -> HistogramSnapshot.builder().name(k.scrapedName()).help(k.help()))
                    .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder().labels(labels)
                            .classicHistogramBuckets(ClassicHistogramBuckets.of(h.upperBounds(), h.bucketCounts()))
                            .sum(h.sum()).build());
            max.computeIfAbsent(m, k -> GaugeSnapshot.builder().name(k.scrapedName() + "_max").help(k.help()))
                    .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(recentMax).build());
        }
        List<MetricSnapshot> out = new ArrayList<>();
        hist.values().forEach(b -> out.add(b.build()));
        max.values().forEach(b -> out.add(b.build()));
        return new MetricSnapshots(out);
    }

    /** Every name this may export, so the registry refuses a collector that would clash with one. */
    @Override
    public List<String> getPrometheusNames() {
        List<String> names = new ArrayList<>();
        for (Metric m : Metric.values()) {
            if (m.type() == Metric.Type.TIMER || m.type() == Metric.Type.SUMMARY) {
                names.add(m.scrapedName());
                names.add(m.scrapedName() + "_max");
            }
        }
        return names;
    }
}
