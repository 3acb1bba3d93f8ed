package io.foldin.stream.topology;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * The state stores: names, key and value layouts, and builders, declared once. All are RocksDB,
 * with the record cache on (hot keys are written once per commit) and, except the global ones,
 * changelogged.
 */
public final class Stores {
    /** (userId, itemId) → rating, timestamp; see {@link RatingKey}. Re-rates, deletes and sweeps read it. */
    public static final String USER_RATINGS = "user-ratings";
    /** userId → {@link EntityState}. */
    public static final String USER_STATS = "user-stats";
    /** itemId → {@link EntityState}. */
    public static final String ITEM_STATS = "item-stats";
    /** Global: itemId → {@link FactorRecord}, a copy of topic item-factors on every instance. */
    public static final String ITEM_FACTORS = "item-factors-global";
    /** Global: itemId → the item event JSON, a copy of topic items on every instance. */
    public static final String ITEMS = "items-global";

    private Stores() {
    }

    static StoreBuilder<KeyValueStore<Bytes, byte[]>> userRatings() {
        return org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                org.apache.kafka.streams.state.Stores.persistentKeyValueStore(USER_RATINGS),
                Serdes.Bytes(), Serdes.ByteArray()).withCachingEnabled();
    }

    static StoreBuilder<KeyValueStore<Integer, byte[]>> stats(String name) {
        return org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                org.apache.kafka.streams.state.Stores.persistentKeyValueStore(name),
                Serdes.Integer(), Serdes.ByteArray()).withCachingEnabled();
    }

    /** Global stores are restored from their source topic, so they keep no changelog. */
    static StoreBuilder<KeyValueStore<Integer, byte[]>> global(String name) {
        return org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                org.apache.kafka.streams.state.Stores.persistentKeyValueStore(name),
                Serdes.Integer(), Serdes.ByteArray()).withLoggingDisabled();
    }
}
