package io.foldin.stream.sweep;

import io.foldin.stream.live.LiveModel;
import io.foldin.stream.live.ModelEpoch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A staged sweep and the tasks that still owe its install (docs/design.md §2.8): each task installs before its
 * next event or punctuation, and the request's future completes once the last one has.
 */
final class Installs {
    private static final Logger LOG = LoggerFactory.getLogger(Installs.class);

    private volatile SweepOutcome pending;
    private final Set<String> waiting = new HashSet<>();
    private CompletableFuture<ModelEpoch> done;
    private final Object epochChanged = new Object();

    boolean busy() {
        return pending != null;
    }

    /** Every task in {@code tasks} now owes the install of {@code outcome}; {@code done} completes after the last. */
    void stage(SweepOutcome outcome, Set<String> tasks, CompletableFuture<ModelEpoch> done) {
        synchronized (this) {
            CompletableFuture<ModelEpoch> replaced = pending != null ? this.done : null;
            if (replaced != null && replaced != done) {
                // A sweep staged before every task installed the previous one: the previous one's waiters are served
                // by this one, which every task installs instead.
                done.whenComplete((e, t) -> {
                    if (t != null) {
                        replaced.completeExceptionally(t);
                    } else {
                        replaced.complete(e);
                    }
                });
            }
            this.done = done;
            pending = outcome;
            waiting.clear();
            waiting.addAll(tasks);
            if (waiting.isEmpty()) {
                done.complete(outcome.epoch());
                pending = null;
            }
        }
        synchronized (epochChanged) {
            epochChanged.notifyAll();
        }
    }

    SweepOutcome pendingFor(String task) {
        if (pending == null) {
            return null;
        }
        synchronized (this) {
            return pending != null && waiting.contains(task) ? pending : null;
        }
    }

    synchronized void installed(String task) {
        if (pending != null && waiting.remove(task) && waiting.isEmpty()) {
            done.complete(pending.epoch());
            pending = null;
        }
    }

    /** Waits at most {@code timeoutMs} until the live epoch reaches {@code epoch}. */
    void awaitEpoch(LiveModel live, int epoch, long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        synchronized (epochChanged) {
            while (live.epoch().epoch() < epoch) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    LOG.warn("item update of epoch {} while this instance is at {}: folded in without waiting longer",
                            epoch, live.epoch().epoch());
                    return;
                }
                try {
                    epochChanged.wait(Math.min(left, 100));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
