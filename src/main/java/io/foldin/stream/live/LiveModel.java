package io.foldin.stream.live;

import io.foldin.metrics.Metric;
import io.foldin.metrics.Metrics;
import io.foldin.model.ItemStart;

/**
 * The in-memory side of one instance, shared by the stream processors and the HTTP API: every
 * item's factors, the item catalogue, the local users' rated items, the current model epoch and the
 * metrics. Created by the
 * application and passed to the topology by constructor.
 *
 * <p>Every catalogue item is in the item table: with its published factors, or else with a prior
 * row ({@link ItemFactorTable#putPrior}) holding what {@link #itemFactor} gives an item without
 * factors, its genre prior mean under the current epoch (zeros without one) and bias 0. Prior rows
 * are written when an item's metadata arrives and rewritten when an epoch brings new genre
 * features; both under this object's lock, so neither can write a mean of a replaced epoch.
 */
public final class LiveModel {
    private final io.foldin.experiment.ExperimentBook experiments = new io.foldin.experiment.ExperimentBook();
    private final int factors;
    private final ItemFactorTable items;
    private final ImplicitTable implicitUsers;
    private final ImplicitTable implicitItems;
    private final ItemCatalog catalog = new ItemCatalog();
    private final RatedItems rated = new RatedItems(RatedItems.DEFAULT_MAX_ITEMS);
    private final Metrics metrics;
    private volatile ModelEpoch epoch;
    private volatile boolean restored;
    /** Freshness over the last 5 ticks (seconds, with the page's once-a-second tick), for the live page. */
    private final FreshnessWindow freshness = new FreshnessWindow(5);
    /** The epochs with a sweep installed here since the start, oldest first, at most {@link #SWEEP_HISTORY}. */
    private final java.util.ArrayDeque<ModelEpoch> sweeps = new java.util.ArrayDeque<>();
    public static final int SWEEP_HISTORY = 200;

    /** With the implicit model at its offline default size ({@link io.foldin.model.ImplicitParams#DEFAULT}). */
    public LiveModel(int factors, ModelEpoch epoch, Metrics metrics) {
        this(factors, io.foldin.model.ImplicitParams.DEFAULT.factors(), epoch, metrics);
    }

    /**
     * @param factors         D of the explicit model (the epoch's)
     * @param implicitFactors D of the live implicit model ({@code implicit.factors}): its two tables' rows
     */
    public LiveModel(int factors, int implicitFactors, ModelEpoch epoch, Metrics metrics) {
        if (epoch.factors() != factors) {
            throw new IllegalArgumentException("model epoch has D=" + epoch.factors() + ", configured D=" + factors);
        }
        this.factors = factors;
        this.items = new ItemFactorTable(factors);
        this.implicitUsers = new ImplicitTable(implicitFactors);
        this.implicitItems = new ImplicitTable(implicitFactors);
        this.epoch = epoch;
        this.metrics = metrics;
        remember(epoch);
        metrics.gauge(Metric.ITEMS_PRIOR, items::priorRows);
        metrics.gauge(Metric.RATED_INDEX_ITEMS, rated::size);
    }

    /** The experiments and their totals, from the global stores of topics experiments and experiment-totals. */
    public io.foldin.experiment.ExperimentBook experiments() {
        return experiments;
    }

    public int factors() {
        return factors;
    }

    public ItemFactorTable items() {
        return items;
    }

    /** The live implicit model's user vectors X and XᵀX, mirrored from topic {@code implicit-user-factors}. */
    public ImplicitTable implicitUsers() {
        return implicitUsers;
    }

    /** The live implicit model's item vectors Y and YᵀY, mirrored from topic {@code implicit-item-factors}. */
    public ImplicitTable implicitItems() {
        return implicitItems;
    }

    public ItemCatalog catalog() {
        return catalog;
    }

    /** Local users' rated items, kept by the user fold-in, read by recommendations. */
    public RatedItems rated() {
        return rated;
    }

    public Metrics metrics() {
        return metrics;
    }

    /**
     * Whether this instance has finished its start-up restore (Streams reached RUNNING once): before that, the
     * global table replays the item-factors topic, whose records are not fresh events.
     */
    public boolean restored() {
        return restored;
    }

    public void markRestored() {
        restored = true;
    }

    public ModelEpoch epoch() {
        return epoch;
    }

    /** Installs a new epoch; when its genre features differ, the prior rows are rewritten with them. */
    public synchronized void setEpoch(ModelEpoch next) {
        ModelEpoch prev = epoch;
        this.epoch = next;
        remember(next);
        if (!sameFeatures(prev, next)) {
            float[] row = new float[factors + 1];
            for (ItemCatalog.Item item : catalog.all()) {
                if (items.epoch(item.itemId()) == ItemFactorTable.PRIOR_EPOCH) {
                    putPrior(item, row);
                }
            }
        }
    }

    private synchronized void remember(ModelEpoch e) {
        if (e.sweep().finishedMs() == 0 || (!sweeps.isEmpty() && sweeps.peekLast().epoch() == e.epoch())) {
            return;
        }
        if (sweeps.size() == SWEEP_HISTORY) {
            sweeps.removeFirst();
        }
        sweeps.addLast(e);
    }

    /** The epochs with a sweep (the one this instance started with, then each installed here), oldest first. */
    public synchronized java.util.List<ModelEpoch> sweepHistory() {
        return java.util.List.copyOf(sweeps);
    }

    /** Freshness of the item table over the last few seconds (the page's charts); fed as item factors arrive. */
    public FreshnessWindow freshness() {
        return freshness;
    }

    /** Metadata of an item (from topic {@code items}); gives it a prior row unless it has factors. */
    public synchronized void putCatalogItem(ItemCatalog.Item item) {
        catalog.put(item);
        if (items.epoch(item.itemId()) == ItemFactorTable.PRIOR_EPOCH) {
            putPrior(item, new float[factors + 1]);
        }
    }

    private void putPrior(ItemCatalog.Item item, float[] row) {
        java.util.Arrays.fill(row, 0f);
        if (!item.genres().isEmpty()) {
            epoch.priorMean(item.genres(), row);
        }
        items.putPrior(item.itemId(), row);
    }

    private static boolean sameFeatures(ModelEpoch a, ModelEpoch b) {
        if (!a.features().keySet().equals(b.features().keySet())) {
            return false;
        }
        for (var e : a.features().entrySet()) {
            if (!java.util.Arrays.equals(e.getValue(), b.features().get(e.getKey()))) {
                return false;
            }
        }
        return true;
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
     * The item's {@code [V; b]} as the user fold-in uses it, into {@code out}: its published factors;
     * else (a new item, bias 0) its genre prior mean; else, before the first sweep (epoch 0), its
     * seeded start ({@link ItemStart}), without which fold-in from an empty start never leaves zero;
     * else zeros. After a sweep users have factors, so an item's first solve leaves zero by itself, and
     * a zero start keeps a new item's ratings from pulling its raters toward a random direction.
     */
    public void itemFactor(int itemId, float[] out, float[] meanBuf) {
        if (items.epoch(itemId) != ItemFactorTable.PRIOR_EPOCH && items.get(itemId, out, 0)) {
            return;
        }
        java.util.Arrays.fill(out, 0f);
        ModelEpoch e = epoch;
        float[] m = priorMean(itemId, meanBuf);
        if (m != null) {
            System.arraycopy(m, 0, out, 0, factors);
        } else if (e.epoch() == 0) {
            ItemStart.of(itemId, factors, out, 0);
        }
    }
}
