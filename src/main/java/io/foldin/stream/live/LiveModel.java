package io.foldin.stream.live;

import io.foldin.metrics.Metrics;

/**
 * The in-memory side of one instance, shared by the stream processors and the HTTP API: every
 * item's factors, the item catalogue, the current model epoch and the metrics. Created by the
 * application and passed to the topology by constructor.
 */
public final class LiveModel {
    private final int factors;
    private final ItemFactorTable items;
    private final ItemCatalog catalog = new ItemCatalog();
    private final Metrics metrics;
    private volatile ModelEpoch epoch;

    public LiveModel(int factors, ModelEpoch epoch, Metrics metrics) {
        if (epoch.factors() != factors) {
            throw new IllegalArgumentException("model epoch has D=" + epoch.factors() + ", configured D=" + factors);
        }
        this.factors = factors;
        this.items = new ItemFactorTable(factors);
        this.epoch = epoch;
        this.metrics = metrics;
    }

    public int factors() {
        return factors;
    }

    public ItemFactorTable items() {
        return items;
    }

    public ItemCatalog catalog() {
        return catalog;
    }

    public Metrics metrics() {
        return metrics;
    }

    public ModelEpoch epoch() {
        return epoch;
    }

    public void setEpoch(ModelEpoch next) {
        this.epoch = next;
    }

    /**
     * The genre prior mean of the item under the current epoch into {@code buf} (D floats), or null
     * when it has none (no metadata, no genres, or no sweep has fitted genre features yet).
     */
    public float[] priorMean(int itemId, float[] buf) {
        ItemCatalog.Item item = catalog.get(itemId);
        if (item == null || item.genres().isEmpty()) {
            return null;
        }
        return epoch.priorMean(item.genres(), buf) ? buf : null;
    }

    /**
     * The item's {@code [V; b]} into {@code out}: its published factors, else its prior mean with a
     * zero bias (a new item), else zeros.
     */
    public void itemFactor(int itemId, float[] out, float[] meanBuf) {
        if (items.get(itemId, out, 0)) {
            return;
        }
        java.util.Arrays.fill(out, 0f);
        float[] m = priorMean(itemId, meanBuf);
        if (m != null) {
            System.arraycopy(m, 0, out, 0, factors);
        }
    }
}
