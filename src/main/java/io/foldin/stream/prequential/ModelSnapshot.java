package io.foldin.stream.prequential;

import io.foldin.model.ExplicitPrediction;
import io.foldin.stream.event.RatingEvent;
import io.foldin.stream.live.ItemFactorTable;
import io.foldin.stream.topology.EntityState;
import io.foldin.stream.topology.FoldinStreams;
import io.foldin.stream.topology.Stores;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A copy of one instance's model at one moment: every user's {@code [U_u; b_u]} from its
 * {@code user-stats} store (interactive query over all its local tasks), every item's
 * {@code [V_i; b_i]} from its in-memory item table, and μ of the current epoch. Taken right after a
 * sweep it is the swept model, which later fold-ins do not touch: the static model of the
 * prequential benchmark, and what the exactly-once test compares between runs.
 *
 * @param users user id → {@code [U; b]}
 * @param items item id → {@code [V; b]}
 */
public record ModelSnapshot(double mu, int epoch, Map<Integer, float[]> users, Map<Integer, float[]> items) {

    /** Reads the instance's stores and table; call while it is running and idle, or the copy is a blend. */
    public static ModelSnapshot of(FoldinStreams streams) {
        int d = streams.config().params().factors();
        ReadOnlyKeyValueStore<Integer, byte[]> stats = streams.streams().store(StoreQueryParameters.fromNameAndType(
                Stores.USER_STATS, QueryableStoreTypes.<Integer, byte[]>keyValueStore()));
        Map<Integer, float[]> users = new HashMap<>();
        try (KeyValueIterator<Integer, byte[]> it = stats.all()) {
            while (it.hasNext()) {
                KeyValue<Integer, byte[]> kv = it.next();
                users.put(kv.key, EntityState.decode(kv.value, d).factor());
            }
        }
        ItemFactorTable.Snapshot t = streams.live().items().snapshot();
        Map<Integer, float[]> items = new HashMap<>();
        for (int r = 0; r < t.size(); r++) {
            // prior rows are catalogue items nothing was learnt about: unknown to the model, as offline
            if (t.epoch()[r] != ItemFactorTable.PRIOR_EPOCH) {
                items.put(t.ids()[r], Arrays.copyOfRange(t.data(), r * t.stride(), (r + 1) * t.stride()));
            }
        }
        var epoch = streams.live().epoch();
        return new ModelSnapshot(epoch.mu(), epoch.epoch(), Map.copyOf(users), Map.copyOf(items));
    }

    /**
     * {@code r̂ = μ + b_u + b_i + U·V}, the biases of known entities only and the product only when
     * both are known (as {@link io.foldin.model.FactorModel#predict}), clipped to the rating range.
     */
    public double predict(int userId, int itemId) {
        float[] u = users.get(userId);
        float[] v = items.get(itemId);
        int d = u != null ? u.length - 1 : v != null ? v.length - 1 : 0;
        return ExplicitPrediction.predict(mu, u, 0, v, 0, d, RatingEvent.MIN_RATING, RatingEvent.MAX_RATING);
    }
}
