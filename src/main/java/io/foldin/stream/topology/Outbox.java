package io.foldin.stream.topology;

import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorNode;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

import java.util.Map;

/**
 * The user side's item updates on their way out, one {@link ItemUpdateBundle} per partition of
 * {@code item-updates}. A bundle is sent when the next update would not fit, on each {@link #sendAll()}
 * (the user side's flush punctuation), and before every commit of the task.
 *
 * <p>It is a state store for that last hook only: Streams calls {@link #flushCache()} on each store of a
 * task before it flushes the producer and commits the input offsets (under exactly-once, inside the same
 * transaction), so a committed rating never has its update still in memory. The hook is the internal
 * {@code CachedStateStore} interface that {@link StatsStore} uses too; a forward from it needs the
 * processor's node made current again (internal {@code InternalProcessorContext}), as Streams' own record
 * cache does. Nothing is persisted: a task closed without a commit drops the bundles, and its uncommitted
 * ratings are processed again.
 */
final class Outbox implements StateStore, CachedStateStore<Object, Object> {
    private final String name;
    private final int factors;
    private ItemUpdateBundle.Buffers buffers;
    private InternalProcessorContext<?, ?> owner;
    private ProcessorNode<?, ?, ?, ?> node;
    private boolean open;

    Outbox(String name, int factors) {
        this.name = name;
        this.factors = factors;
    }

    /** Called from the owning processor's init: bundles go to {@code partitions} partitions through {@code sender}. */
    void attach(ProcessorContext<?, ?> context, int partitions, ItemUpdateBundle.Sender sender) {
        this.owner = (InternalProcessorContext<?, ?>) context;
        this.node = owner.currentNode();
        this.buffers = new ItemUpdateBundle.Buffers(factors, partitions, sender);
    }

    /** Queues the update for its item's partition; see {@link ItemUpdateBundle.Buffers#add}. */
    void add(int item, long timestamp, ItemUpdate u) {
        buffers.add(item, timestamp, u);
    }

    /** Sends every non-empty bundle; from a punctuation or process call of the owner. */
    void sendAll() {
        buffers.sendAll();
    }

    /** Before a commit: sends the bundles as the owning processor. */
    @Override
    public void flushCache() {
        if (buffers == null || buffers.isEmpty()) {
            return;
        }
        ProcessorNode<?, ?, ?, ?> previous = owner.currentNode();
        owner.setCurrentNode(node);
        try {
            sendAll();
        } finally {
            owner.setCurrentNode(previous);
        }
    }

    @Override
    public void clearCache() {
        if (buffers != null) {
            buffers.clear();
        }
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<Object, Object> listener, boolean sendOldValues) {
        return false;
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
        clearCache();
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
