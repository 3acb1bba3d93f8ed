package io.foldin.stream.topology;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

import java.util.Map;
import java.util.function.Function;

/**
 * Builds a store of ours that holds state in memory ({@link StatsStore}, {@link RatingsStore}) in front of
 * a plain changelogged RocksDB store without the record cache: the layer is its own cache.
 */
final class LayeredStoreBuilder<K, S extends StateStore> implements StoreBuilder<S> {
    private final StoreBuilder<KeyValueStore<K, byte[]>> inner;
    private final Function<KeyValueStore<K, byte[]>, S> layer;

    private LayeredStoreBuilder(String name, Serde<K> keys, Function<KeyValueStore<K, byte[]>, S> layer) {
        this.inner = org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                org.apache.kafka.streams.state.Stores.persistentKeyValueStore(name), keys, Serdes.ByteArray())
                .withCachingDisabled();
        this.layer = layer;
    }

    static <K, S extends StateStore> StoreBuilder<S> of(String name, Serde<K> keys,
                                                        Function<KeyValueStore<K, byte[]>, S> layer) {
        return new LayeredStoreBuilder<>(name, keys, layer);
    }

    @Override
    public StoreBuilder<S> withCachingEnabled() {
        throw new UnsupportedOperationException("store " + name() + " is its own cache");
    }

    @Override
    public StoreBuilder<S> withCachingDisabled() {
        return this;
    }

    @Override
    public StoreBuilder<S> withLoggingEnabled(Map<String, String> config) {
        inner.withLoggingEnabled(config);
        return this;
    }

    @Override
    public StoreBuilder<S> withLoggingDisabled() {
        inner.withLoggingDisabled();
        return this;
    }

    @Override
    public S build() {
        return layer.apply(inner.build());
    }

    @Override
    public Map<String, String> logConfig() {
        return inner.logConfig();
    }

    @Override
    public boolean loggingEnabled() {
        return inner.loggingEnabled();
    }

    @Override
    public String name() {
        return inner.name();
    }
}
