package io.foldin.stream.topology;

import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.StoreBuilder;

import java.util.Map;

/**
 * A store that holds nothing and only runs its owner's action before each commit of the task
 * ({@link PreCommitStore}): the implicit user side publishes what it holds in memory there, so no committed event
 * has its item update still unsent.
 */
final class CommitHook extends PreCommitStore {
    private final String name;
    private boolean open;

    CommitHook(String name) {
        this.name = name;
    }

    @Override
    void beforeCommit() {
    }

    @Override
    void discard() {
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

    static StoreBuilder<CommitHook> builder(String name) {
        return new StoreBuilder<>() {
            @Override
            public StoreBuilder<CommitHook> withCachingEnabled() {
                return this;
            }

            @Override
            public StoreBuilder<CommitHook> withCachingDisabled() {
                return this;
            }

            @Override
            public StoreBuilder<CommitHook> withLoggingEnabled(Map<String, String> config) {
                throw new UnsupportedOperationException("a commit hook keeps no changelog");
            }

            @Override
            public StoreBuilder<CommitHook> withLoggingDisabled() {
                return this;
            }

            @Override
            public CommitHook build() {
                return new CommitHook(name);
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
