package io.foldin.stream.topology;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * The state stores: names, key and value layouts, and builders, declared once. The task stores are
 * RocksDB and changelogged, each behind a layer of ours instead of Streams' record cache: the
 * statistics stores keep decoded states in memory ({@link StatsStore}), so a hot user's or item's
 * 1.1 KB value is encoded, written to RocksDB and its changelog once per commit; the ratings store
 * holds its writes for a publish interval and writes them in key order as one batch
 * ({@link RatingsStore}). The record cache would cost a sorted-map lookup and an eviction per event
 * there (measured: 22% of the stream thread). The global stores hold one small entry per item and
 * live in memory.
 */
public final class Stores {
    /** (userId, itemId) → rating, timestamp; see {@link RatingKey}. Re-rates, deletes and sweeps read it. */
    public static final String USER_RATINGS = "user-ratings";
    /** userId → {@link EntityState}. */
    public static final String USER_STATS = "user-stats";
    /** itemId → {@link EntityState}. */
    public static final String ITEM_STATS = "item-stats";
    /** Item updates of a user task not yet sent, bundled per item partition; in memory ({@link Outbox}). */
    public static final String ITEM_UPDATE_OUTBOX = "item-update-outbox";
    /** Global: itemId → {@link FactorRecord}, a copy of topic item-factors on every instance. */
    public static final String ITEM_FACTORS = "item-factors-global";
    /** Global: itemId → the item event JSON, a copy of topic items on every instance. */
    public static final String ITEMS = "items-global";

    /**
     * (userId, itemId) → the pair's implicit weight ({@link ImplicitPairs}): the live implicit model's user side.
     * Also what {@code GET /users/{id}/recommendations?model=implicit} excludes, read on the user's owner.
     */
    public static final String IMPLICIT_USER_ITEMS = "implicit-user-items";
    /** itemId → the item's implicit-ALS statistics S, h, count ({@link io.foldin.model.ImplicitStats}). */
    public static final String IMPLICIT_ITEM_STATS = "implicit-item-stats";
    /** Holds nothing: runs the implicit user side's publication before each commit ({@link CommitHook}). */
    static final String IMPLICIT_COMMIT_HOOK = "implicit-commit-hook";
    /** Holds nothing: writes the implicit item side's changed statistics before each commit ({@link CommitHook}). */
    static final String IMPLICIT_ITEM_COMMIT_HOOK = "implicit-item-commit-hook";
    /** Global: userId → {@link FactorRecord}, a copy of topic implicit-user-factors on every instance. */
    public static final String IMPLICIT_USER_FACTORS = "implicit-user-factors-global";
    /** Global: itemId → {@link FactorRecord}, a copy of topic implicit-item-factors on every instance. */
    public static final String IMPLICIT_ITEM_FACTORS = "implicit-item-factors-global";

    /** userId → the user's exposures per experiment and variant, with outcomes so far ({@code ExposureState}). */
    public static final String EXPERIMENT_EXPOSURES = "experiment-exposures";
    /** "experiment|variant" → {@link io.foldin.experiment.VariantTotals} of this task's users. */
    public static final String EXPERIMENT_TOTALS = "experiment-totals";
    /** Global: experiment name → definition JSON, a copy of topic experiments on every instance. */
    public static final String EXPERIMENTS = "experiments-global";
    /** Global: "experiment|variant|partition" → totals, a copy of topic experiment-totals on every instance. */
    public static final String EXPERIMENT_TOTALS_GLOBAL = "experiment-totals-global";

    private Stores() {
    }

    static StoreBuilder<RatingsStore> userRatings() {
        return LayeredStoreBuilder.of(USER_RATINGS, Serdes.Bytes(), RatingsStore::new);
    }

    static StoreBuilder<StatsStore> stats(String name, StreamConfig config) {
        int factors = config.params().factors();
        int capacity = config.statsCacheEntries();
        return LayeredStoreBuilder.of(name, Serdes.Integer(), inner -> new StatsStore(inner, factors, capacity));
    }

    /**
     * The experiment stores of a user task: RocksDB, changelogged, so they keep the guarantee of the
     * task's other stores (docs/design.md §3). Small: a few entries per user in an experiment, one per variant.
     */
    static StoreBuilder<KeyValueStore<Integer, byte[]>> experimentExposures() {
        return org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                org.apache.kafka.streams.state.Stores.persistentKeyValueStore(EXPERIMENT_EXPOSURES),
                Serdes.Integer(), Serdes.ByteArray());
    }

    static StoreBuilder<KeyValueStore<String, byte[]>> experimentTotals() {
        return org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                org.apache.kafka.streams.state.Stores.persistentKeyValueStore(EXPERIMENT_TOTALS),
                Serdes.String(), Serdes.ByteArray());
    }

    /** The implicit user side's pairs: RocksDB, changelogged, keyed like {@code user-ratings}. */
    static StoreBuilder<KeyValueStore<Bytes, byte[]>> implicitUserItems() {
        return org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                org.apache.kafka.streams.state.Stores.persistentKeyValueStore(IMPLICIT_USER_ITEMS),
                Serdes.Bytes(), Serdes.ByteArray());
    }

    /** The implicit item statistics: RocksDB, changelogged (4.5 KB per item at D = 32). */
    static StoreBuilder<KeyValueStore<Integer, byte[]>> implicitItemStats() {
        return org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                org.apache.kafka.streams.state.Stores.persistentKeyValueStore(IMPLICIT_ITEM_STATS),
                Serdes.Integer(), Serdes.ByteArray());
    }

    /** A global store keyed by text (experiment tables), in memory like the others below. */
    static StoreBuilder<KeyValueStore<String, byte[]>> globalByName(String name) {
        return org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                org.apache.kafka.streams.state.Stores.inMemoryKeyValueStore(name),
                Serdes.String(), Serdes.ByteArray()).withLoggingDisabled();
    }

    /**
     * Global stores are restored from their compacted source topic, so they keep no changelog, and are
     * in memory: one entry of ~100 B per item (ml-32m: 87k items, 9 MB). In RocksDB, the global thread
     * spent 80% of its time on the memtable insert of each item-factor publication (~17k/s at 50k
     * events/s); the price is a restore that reads the topic from its start instead of a checkpoint.
     */
    static StoreBuilder<KeyValueStore<Integer, byte[]>> global(String name) {
        return org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                org.apache.kafka.streams.state.Stores.inMemoryKeyValueStore(name),
                Serdes.Integer(), Serdes.ByteArray()).withLoggingDisabled();
    }
}
