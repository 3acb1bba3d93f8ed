package io.foldin.stream.topology;

import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorNode;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * The one place where foldin uses Kafka Streams internals: a store that is told before each commit of its
 * task, and may forward records then as the processor that owns it.
 *
 * <p>Streams calls {@code CachedStateStore.flushCache()} on every store of a task before it flushes the
 * producer and commits the input offsets (under exactly-once, inside the same transaction); its own record
 * cache uses the hook. No public API runs that early: {@link StateStore#commit} comes after the offsets. Our
 * stores hold state in memory between commits and write it there ({@link #beforeCommit}), so every committed
 * offset has its state in the changelogs. A forward from the hook needs the owner's node made current again
 * ({@code InternalProcessorContext.setCurrentNode}), as Streams does for its cache. {@code PreCommitStoreTest}
 * fails quickly if a Kafka upgrade stops calling the hook; the crash tests fail if the guarantee is broken.
 */
abstract class PreCommitStore implements StateStore, CachedStateStore<Object, Object> {
    private InternalProcessorContext<?, ?> owner;
    private ProcessorNode<?, ?, ?, ?> node;
    private Runnable ownerAction = () -> {
    };

    /**
     * From the owning processor's {@code init}: {@code action} runs before each commit, ahead of this store's own
     * {@link #beforeCommit}, as that processor (it may forward).
     */
    final void beforeEachCommit(ProcessorContext<?, ?> context, Runnable action) {
        this.owner = (InternalProcessorContext<?, ?>) context;
        this.node = owner.currentNode();
        this.ownerAction = action;
    }

    /** Writes what the store holds in memory; called before each commit of the task. */
    abstract void beforeCommit();

    /** Drops what the store holds in memory (the task closes without a commit and restores). */
    abstract void discard();

    @Override
    public final void flushCache() {
        if (owner != null) {
            ProcessorNode<?, ?, ?, ?> previous = owner.currentNode();
            owner.setCurrentNode(node);
            try {
                ownerAction.run();
            } finally {
                owner.setCurrentNode(previous);
            }
        }
        beforeCommit();
    }

    @Override
    public final void clearCache() {
        discard();
    }

    @Override
    public final boolean setFlushListener(CacheFlushListener<Object, Object> listener, boolean sendOldValues) {
        return false;
    }
}
