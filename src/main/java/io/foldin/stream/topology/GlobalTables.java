package io.foldin.stream.topology;

import io.foldin.metrics.Histogram;
import io.foldin.metrics.Metric;
import io.foldin.stream.event.ItemEventParser;
import io.foldin.stream.live.ImplicitTable;
import io.foldin.stream.live.LiveModel;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * The global tables every instance holds: each keeps its global store (restored from the topic
 * on start) and mirrors it into the in-memory structure the fold-in and the API read.
 */
final class GlobalTables {
    private static final Logger LOG = LoggerFactory.getLogger(GlobalTables.class);

    private GlobalTables() {
    }

    /** {@code item-factors} → {@link io.foldin.stream.live.ItemFactorTable}. */
    static final class ItemFactors implements Processor<Integer, byte[], Void, Void> {
        private final LiveModel live;
        private final Histogram age;
        private KeyValueStore<Integer, byte[]> store;

        ItemFactors(LiveModel live) {
            this.live = live;
            this.age = live.metrics().histogram(Metric.ITEM_FACTOR_AGE);
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(Stores.ITEM_FACTORS);
            // No count logged here: init runs before the topic's restore, which passes through process, so the
            // count here was mostly 0. FoldinStreams logs the real one once the instance runs.
            try (KeyValueIterator<Integer, byte[]> it = store.all()) {
                while (it.hasNext()) {
                    KeyValue<Integer, byte[]> kv = it.next();
                    apply(kv.key, kv.value);
                }
            }
        }

        @Override
        public void process(Record<Integer, byte[]> rec) {
            if (rec.key() == null || rec.value() == null) {
                return;
            }
            store.put(rec.key(), rec.value());
            apply(rec.key(), rec.value());
            if (live.restored()) {
                live.freshness().observeSince(rec.timestamp()); // the page's recent quantiles
            }
            // A restore replays the topic through here; its records' ages are those of past events.
            if (live.restored()) {
                age.observeSince(rec.timestamp());
            }
        }

        /**
         * A sweep writes its item factors into the table directly, ahead of the topic; a record from before
         * the sweep that this thread reads only afterwards must not put the old factor back. (In the topic
         * itself epochs only grow per item, so everything else applies in order, restores included.)
         */
        private void apply(int item, byte[] value) {
            FactorRecord f = FactorRecord.decode(value);
            int current = live.epoch().epoch();
            if (f.factor().length == live.factors() + 1
                    && !(f.epoch() < current && live.items().epoch(item) == current)) {
                live.items().put(item, f.epoch(), f.count(), f.factor(), f.variance());
            }
        }
    }

    /**
     * {@code items} → {@link io.foldin.stream.live.ItemCatalog}, and a prior row in the item table for an
     * item without factors ({@link LiveModel#putCatalogItem}); malformed records are counted and skipped.
     */
    static final class Items implements Processor<Integer, byte[], Void, Void> {
        private final LiveModel live;
        private final ItemEventParser parser = new ItemEventParser();
        private KeyValueStore<Integer, byte[]> store;

        Items(LiveModel live) {
            this.live = live;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(Stores.ITEMS);
            try (KeyValueIterator<Integer, byte[]> it = store.all()) {
                while (it.hasNext()) {
                    apply(it.next().value);
                }
            }
        }

        /**
         * The body's itemId decides where an event lands, not the key: a producer may send none (a topic
         * that is not compacted takes that) or one in another format. A tombstone has only its key to name
         * an item, and deleting items is not supported, so it is skipped.
         */
        @Override
        public void process(Record<Integer, byte[]> rec) {
            if (rec.value() == null) {
                reject("tombstone (items are not deleted)");
                return;
            }
            int item = apply(rec.value());
            if (item >= 0) {
                store.put(item, rec.value());
            }
        }

        /** The event's itemId once it is in the catalogue, or -1 when it is malformed. */
        private int apply(byte[] value) {
            ItemEventParser.Result r = parser.parse(value);
            if (r.item() == null) {
                reject(r.error());
                return -1;
            }
            live.putCatalogItem(r.item());
            return r.item().itemId();
        }

        private void reject(String why) {
            live.metrics().counter(Metric.ITEM_EVENTS_REJECTED).increment();
            LOG.warn("item event rejected: {}", why);
        }
    }

    /**
     * {@code implicit-user-factors} or {@code implicit-item-factors} → an {@link ImplicitTable} (its rows and Gram).
     * Records of another D (a change of {@code implicit.factors} without a fresh topic) are skipped.
     */
    static final class ImplicitFactors implements Processor<Integer, byte[], Void, Void> {
        private final ImplicitTable table;
        private final String storeName;
        private final float[] row;
        private KeyValueStore<Integer, byte[]> store;

        ImplicitFactors(ImplicitTable table, String storeName) {
            this.table = table;
            this.storeName = storeName;
            this.row = new float[table.factors()];
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(storeName);
            try (KeyValueIterator<Integer, byte[]> it = store.all()) {
                while (it.hasNext()) {
                    KeyValue<Integer, byte[]> kv = it.next();
                    apply(kv.key, kv.value);
                }
            }
        }

        @Override
        public void process(Record<Integer, byte[]> rec) {
            if (rec.key() == null || rec.value() == null) {
                return;
            }
            store.put(rec.key(), rec.value());
            apply(rec.key(), rec.value());
        }

        private void apply(int id, byte[] value) {
            FactorRecord f = FactorRecord.decode(value);
            if (f.factor().length == row.length + 1) {
                System.arraycopy(f.factor(), 0, row, 0, row.length);
                table.put(id, row);
            }
        }
    }

    /**
     * Keys of {@code items}: the id as a decimal string; anything else (null included) becomes -1. Only a
     * deserializer that cannot fail: {@link Items} stores each event under its body's itemId.
     */
    static final class DecimalId implements Deserializer<Integer> {
        @Override
        public Integer deserialize(String topic, byte[] data) {
            if (data == null || data.length == 0 || data.length > 10) {
                return -1;
            }
            try {
                return Integer.parseInt(new String(data, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                return -1;
            }
        }
    }
}
