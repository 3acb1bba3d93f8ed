package io.foldin.stream.topology;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.HashMap;
import java.util.Map;

/** Reads the stores of a running instance by interactive queries (over all its local tasks). */
final class LocalStores {
    private LocalStores() {
    }

    /** {@code user-ratings}: {@link Expected#pair} → rating. */
    static Map<Long, Float> ratings(FoldinStreams s) {
        Map<Long, Float> out = new HashMap<>();
        try (KeyValueIterator<Bytes, byte[]> it = LocalStores.<Bytes>store(s, Stores.USER_RATINGS).all()) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                byte[] k = kv.key.get();
                out.put(Expected.pair(RatingKey.user(k), RatingKey.item(k)), RatingKey.rating(kv.value));
            }
        }
        return out;
    }

    /** {@code user-stats} or {@code item-stats}: id → the rating count n of its statistics. */
    static Map<Integer, Long> counts(FoldinStreams s, String stats) {
        int d = s.config().params().factors();
        Map<Integer, Long> out = new HashMap<>();
        try (KeyValueIterator<Integer, byte[]> it = LocalStores.<Integer>store(s, stats).all()) {
            while (it.hasNext()) {
                KeyValue<Integer, byte[]> kv = it.next();
                out.put(kv.key, EntityState.decode(kv.value, d).count());
            }
        }
        return out;
    }

    private static <K> ReadOnlyKeyValueStore<K, byte[]> store(FoldinStreams s, String name) {
        return s.streams().store(StoreQueryParameters.fromNameAndType(name,
                QueryableStoreTypes.<K, byte[]>keyValueStore()));
    }
}
