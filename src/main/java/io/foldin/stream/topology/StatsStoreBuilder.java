package io.foldin.stream.topology;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

import java.util.Map;

/** Builds a {@link StatsStore} around a plain changelogged RocksDB store without the record cache. */
final class StatsStoreBuilder {
    private StatsStoreBuilder() {
    }

    static StoreBuilder<StatsStore> of(String name, int factors, int capacity) {
        StoreBuilder<KeyValueStore<Integer, byte[]>> inner = org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                org.apache.kafka.streams.state.Stores.persistentKeyValueStore(name),
                Serdes.Integer(), Serdes.ByteArray()).withCachingDisabled();
        return new StoreBuilder<>() {
            private Map<String, String> logConfig = Map.of();
            private boolean logging = true;

            @Override
            public StoreBuilder<StatsStore> withCachingEnabled() {
                throw new UnsupportedOperationException("a statistics store is its own cache");
            }

            @Override
            public StoreBuilder<StatsStore> withCachingDisabled() {
                return this;
            }

            @Override
            public StoreBuilder<StatsStore> withLoggingEnabled(Map<String, String> config) {
                inner.withLoggingEnabled(config);
                logConfig = Map.copyOf(config);
                logging = true;
                return this;
            }

            @Override
            public StoreBuilder<StatsStore> withLoggingDisabled() {
                inner.withLoggingDisabled();
                logging = false;
                return this;
            }

            @Override
            public StatsStore build() {
                return new StatsStore(inner.build(), factors, capacity);
            }

            @Override
            public Map<String, String> logConfig() {
                return logConfig;
            }

            @Override
            public boolean loggingEnabled() {
                return logging;
            }

            @Override
            public String name() {
                return name;
            }
        };
    }
}
