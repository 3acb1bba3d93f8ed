package io.foldin.serve.http;

import io.foldin.stream.event.UserKey;
import io.foldin.stream.topology.EntityState;
import io.foldin.stream.topology.ImplicitPairs;
import io.foldin.stream.topology.RatingKey;
import io.foldin.stream.topology.Stores;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Where a user's state lives and read access to it when it lives here. The user fold-in processes
 * each user on the partition of its canonical key ({@link UserKey}) whatever partition its events
 * arrived on, so the owner is found with the serializer that writes exactly that key; the answer names the partition, whose stores are then read directly (one RocksDB
 * lookup per get instead of one per local partition through the composite store).
 */
final class UserStore {
    /** Where a user lives: here (with its partition), at another instance, or nowhere right now. */
    record Owner(int partition, HostInfo host, boolean local) {
    }

    private final KafkaStreams streams;
    private final HostInfo self;
    private final int factors;
    private final Map<Integer, ReadOnlyKeyValueStore<Integer, byte[]>> stats = new ConcurrentHashMap<>();
    private final Map<Integer, ReadOnlyKeyValueStore<Bytes, byte[]>> ratings = new ConcurrentHashMap<>();
    private final Map<Integer, ReadOnlyKeyValueStore<Bytes, byte[]>> implicitPairs = new ConcurrentHashMap<>();

    UserStore(KafkaStreams streams, HostInfo self, int factors) {
        this.streams = streams;
        this.self = self;
        this.factors = factors;
    }

    HostInfo self() {
        return self;
    }

    /** @throws ApiError 503 while the partition has no active owner (rebalancing, starting) */
    Owner owner(int userId) {
        KeyQueryMetadata m;
        try {
            m = streams.queryMetadataForKey(Stores.USER_STATS, userId, UserKey.SERIALIZER);
        } catch (IllegalStateException e) {
            throw ApiError.unavailable("not_running", "the stream job is not running: " + e.getMessage());
        }
        if (m == null || m == KeyQueryMetadata.NOT_AVAILABLE || m.activeHost() == null
                || m.activeHost().equals(HostInfo.unavailable())) {
            throw ApiError.unavailable("owner_unknown", "no instance owns user " + userId + " right now (rebalancing)");
        }
        return new Owner(m.partition(), m.activeHost(), m.activeHost().equals(self));
    }

    /** The user's state from this instance's partition store, or null when the user has no ratings. */
    EntityState state(Owner owner, int userId) {
        byte[] raw = read(stats, Stores.USER_STATS, owner.partition(), userId);
        return raw == null ? null : EntityState.decode(raw, factors);
    }

    /**
     * The items the user has a stored rating of, ascending, from one range scan over the user's keys: what
     * {@code RatedItems} loads on a user's first recommendation.
     */
    int[] ratedItems(Owner owner, int userId) {
        return query(ratings, Stores.USER_RATINGS, owner.partition(), store -> RatingKey.ratedItems(store, userId));
    }

    /**
     * The items the user has interacted with (pair weight > 0), ascending, from one range scan of store
     * {@code implicit-user-items}: what {@code model=implicit} recommendations leave out.
     */
    int[] interactedItems(Owner owner, int userId) {
        return query(implicitPairs, Stores.IMPLICIT_USER_ITEMS, owner.partition(),
                store -> ImplicitPairs.items(store, userId));
    }

    /** One stored rating of a user: the item, the rating and the event's timestamp in seconds. */
    record StoredRating(int itemId, float rating, long timestamp) {
    }

    /** Every stored rating of the user, by item id: one range scan over the user's keys (deleted ones skipped). */
    List<StoredRating> ratings(Owner owner, int userId) {
        return query(ratings, Stores.USER_RATINGS, owner.partition(), store -> {
            List<StoredRating> out = new ArrayList<>();
            try (KeyValueIterator<Bytes, byte[]> it = store.range(Bytes.wrap(RatingKey.first(userId)),
                    Bytes.wrap(RatingKey.last(userId)))) {
                while (it.hasNext()) {
                    KeyValue<Bytes, byte[]> kv = it.next();
                    if (kv.value != null && !Float.isNaN(RatingKey.rating(kv.value))) {
                        out.add(new StoredRating(RatingKey.item(kv.key.get()), RatingKey.rating(kv.value),
                                RatingKey.timestamp(kv.value)));
                    }
                }
            }
            return out;
        });
    }

    /** Whether the user has a stored rating of the item; the rating, or NaN. */
    float rating(Owner owner, int userId, int itemId) {
        byte[] v = read(ratings, Stores.USER_RATINGS, owner.partition(), Bytes.wrap(RatingKey.of(userId, itemId)));
        return v == null ? Float.NaN : RatingKey.rating(v);
    }

    private <K> byte[] read(Map<Integer, ReadOnlyKeyValueStore<K, byte[]>> cache, String name, int partition, K key) {
        return query(cache, name, partition, store -> store.get(key));
    }

    /** Runs {@code q} on the partition's store, its handle cached per partition. */
    private <K, T> T query(Map<Integer, ReadOnlyKeyValueStore<K, byte[]>> cache, String name, int partition,
                           Function<ReadOnlyKeyValueStore<K, byte[]>, T> q) {
        try {
            ReadOnlyKeyValueStore<K, byte[]> store = cache.get(partition);
            if (store == null) {
                store = streams.store(StoreQueryParameters.<ReadOnlyKeyValueStore<K, byte[]>>fromNameAndType(name,
                        QueryableStoreTypes.keyValueStore()).withPartition(partition));
                cache.put(partition, store);
            }
            return q.apply(store);
        } catch (InvalidStateStoreException e) {
            // The task moved or is restoring: forget the handle, let the client retry.
            cache.remove(partition);
            throw ApiError.unavailable("store_unavailable", "state of partition " + partition + " is not queryable now");
        }
    }
}
