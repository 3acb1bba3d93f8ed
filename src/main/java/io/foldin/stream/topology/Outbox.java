package io.foldin.stream.topology;

import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.StoreBuilder;

import java.util.Map;

/**
 * The user side's item updates on their way out, one {@link ItemUpdateBundle} per partition of
 * {@code item-updates}. A bundle is sent when the next update would not fit, on each {@link #sendAll()}
 * (the user side's flush punctuation), and before every commit of the task.
 *
 * <p>It is a state store for that last hook only ({@link PreCommitStore}): a committed rating never has its
 * update still in memory. Nothing is persisted: a task closed without a commit drops the bundles, and its
 * uncommitted ratings are processed again.
 */
final class Outbox extends PreCommitStore {
    private final String name;
    private final int factors;
    private ItemUpdateBundle.Buffers buffers;
    private boolean open;

    Outbox(String name, int factors) {
        this.name = name;
        this.factors = factors;
    }

    /** Called from the owning processor's init: bundles go to {@code partitions} partitions through {@code sender}. */
    void attach(ProcessorContext<?, ?> context, int partitions, ItemUpdateBundle.Sender sender) {
        this.buffers = new ItemUpdateBundle.Buffers(factors, partitions, sender);
        beforeEachCommit(context, this::sendAll);
    }

    /** Queues the update for its item's partition; see {@link ItemUpdateBundle.Buffers#add}. */
    void add(int item, long timestamp, ItemUpdate u) {
        buffers.add(item, timestamp, u);
    }

    /** Sends every non-empty bundle; from a punctuation, a process call or the pre-commit hook of the owner. */
    void sendAll() {
        if (buffers != null && !buffers.isEmpty()) {
            buffers.sendAll();
        }
    }

    /** The bundles went out in the owner's pre-commit action. */
    @Override
    void beforeCommit() {
    }

    @Override
    void discard() {
        if (buffers != null) {
            buffers.clear();
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        context.register(root, (key, value) -> {
        });
        open = true;
    }

    @Override
    public void close() {
        discard();
        open = false;
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    static StoreBuilder<Outbox> builder(String name, int factors) {
        return new StoreBuilder<>() {
            @Override
            public StoreBuilder<Outbox> withCachingEnabled() {
                return this;
            }

            @Override
            public StoreBuilder<Outbox> withCachingDisabled() {
                return this;
            }

            @Override
            public StoreBuilder<Outbox> withLoggingEnabled(Map<String, String> config) {
                throw new UnsupportedOperationException("an outbox keeps no changelog");
            }

            @Override
            public StoreBuilder<Outbox> withLoggingDisabled() {
                return this;
            }

            @Override
            public Outbox build() {
                return new Outbox(name, factors);
            }

            @Override
            public Map<String, String> logConfig() {
                return Map.of();
            }

            @Override
            public boolean loggingEnabled() {
                return false;
            }

            @Override
            public String name() {
                return name;
            }
        };
    }
}
