package io.foldin.stream.topology;

import io.foldin.experiment.Experiment;
import io.foldin.experiment.ExperimentBook;
import io.foldin.stream.live.LiveModel;
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
 * The experiment global tables: each keeps its global store and mirrors it into the instance's
 * {@link ExperimentBook}, like {@link GlobalTables} does for items.
 */
final class ExperimentTables {
    private static final Logger LOG = LoggerFactory.getLogger(ExperimentTables.class);

    private ExperimentTables() {
    }

    /** Common part: store, mirror on init and on each record; a null value deletes. */
    private abstract static class Mirror implements Processor<String, byte[], Void, Void> {
        final ExperimentBook book;
        private final String storeName;
        private KeyValueStore<String, byte[]> store;

        Mirror(LiveModel live, String storeName) {
            this.book = live.experiments();
            this.storeName = storeName;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(storeName);
            try (KeyValueIterator<String, byte[]> it = store.all()) {
                while (it.hasNext()) {
                    KeyValue<String, byte[]> kv = it.next();
                    apply(kv.key, kv.value);
                }
            }
        }

        @Override
        public void process(Record<String, byte[]> rec) {
            if (rec.key() == null) {
                return;
            }
            if (rec.value() == null) {
                store.delete(rec.key());
            } else {
                store.put(rec.key(), rec.value());
            }
            apply(rec.key(), rec.value());
        }

        abstract void apply(String key, byte[] value);
    }

    /** {@code experiments} → the definitions. */
    static final class Definitions extends Mirror {
        Definitions(LiveModel live) {
            super(live, Stores.EXPERIMENTS);
        }

        @Override
        void apply(String name, byte[] value) {
            if (value == null) {
                book.remove(name);
                return;
            }
            try {
                Experiment e = Experiment.parse(new String(value, StandardCharsets.UTF_8), System.currentTimeMillis());
                if (!e.name().equals(name)) {
                    LOG.warn("experiments: record under key {} defines {}; ignored", name, e.name());
                    return;
                }
                book.put(e);
            } catch (IllegalArgumentException e) {
                LOG.warn("experiments: invalid definition under key {} ignored: {}", name, e.getMessage());
            }
        }
    }

    /** {@code experiment-totals} → each variant's totals per user partition. */
    static final class Totals extends Mirror {
        Totals(LiveModel live) {
            super(live, Stores.EXPERIMENT_TOTALS_GLOBAL);
        }

        @Override
        void apply(String key, byte[] value) {
            if (value != null && !book.applyTotals(key.getBytes(StandardCharsets.UTF_8), value)) {
                LOG.warn("experiment-totals: malformed record under key {} ignored", key);
            }
        }
    }
}
