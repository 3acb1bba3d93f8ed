package io.foldin.stream.sweep;

import io.foldin.metrics.Metrics;
import io.foldin.model.AlsParams;
import io.foldin.stream.live.LiveModel;
import io.foldin.stream.live.ModelEpoch;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When sweeps run: the early first sweep at {@code sweep.first.after.ratings}, and requests. */
class SweepCoordinatorTest {
    static final AlsParams PARAMS = new AlsParams(4, 1.0, 15.0, 3.0);
    static final long NOW = 1_000_000L;

    /** A user task with a small block of ratings: users 1..10 rate items 1..8. */
    static final SweepCoordinator.UserTask TASK = new SweepCoordinator.UserTask() {
        @Override
        public int partition() {
            return 0;
        }

        @Override
        public void collect(Sweeper.RatingSink c) {
            for (int u = 1; u <= 10; u++) {
                for (int i = 1; i <= 8; i++) {
                    c.add(u, i, 0.5f + (u * i) % 10 * 0.5f, 0);
                }
            }
        }

        @Override
        public boolean userFactor(int userId, float[] out) {
            return false;
        }
    };

    static final SweepCoordinator.UserTask EMPTY = new SweepCoordinator.UserTask() {
        @Override
        public int partition() {
            return 1;
        }

        @Override
        public void collect(Sweeper.RatingSink c) {
        }

        @Override
        public boolean userFactor(int userId, float[] out) {
            return false;
        }
    };

    final LiveModel live = new LiveModel(PARAMS.factors(), ModelEpoch.initial(3.5, PARAMS.factors()), new Metrics());

    /** No schedule at all (every 0 events, every 0 ms): only the early rule or a request can start a sweep. */
    SweepCoordinator coordinator(long firstAfter, int partitions) {
        return new SweepCoordinator(live, new Sweeper(PARAMS, 1, 42), 0, 0, 2, true, 0.0, partitions, firstAfter);
    }

    @Test
    void theFirstSweepRunsWhenTheStoredRatingsReachTheThresholdAndOnlyThen() throws Exception {
        SweepCoordinator c = coordinator(80, 1);
        c.registerUserTask("user-0", TASK);
        c.registerTask("item-0");
        assertTrue(c.countsStoredRatings());
        AtomicLong stored = c.openStoredCount("user-0", 0);
        for (int k = 0; k < 79; k++) {
            stored.incrementAndGet();
            c.onEvent();
        }
        assertFalse(c.due(NOW), "79 of 80 ratings");
        assertNull(c.runIfDue(NOW));
        stored.incrementAndGet();
        assertTrue(c.due(NOW), "80 of 80 ratings");
        SweepResult r = c.runIfDue(NOW);
        assertNotNull(r);
        assertEquals(1, r.epoch().epoch());
        assertEquals(80, r.epoch().sweep().ratings());
        assertEquals(1, live.epoch().epoch());
        c.installed("user-0");
        c.installed("item-0");
        // After the first sweep the rule is spent: more ratings do not sweep again (the schedule is off here).
        stored.addAndGet(1000);
        assertFalse(c.countsStoredRatings());
        assertFalse(c.due(NOW + 1));
        assertNull(c.runIfDue(NOW + 1));
    }

    @Test
    void ratingsTheStoresHeldAtStartCountAndDeletesSubtract() {
        SweepCoordinator c = coordinator(100, 2);
        c.registerUserTask("user-0", TASK);
        c.registerUserTask("user-1", TASK);
        AtomicLong a = c.openStoredCount("user-0", 60);
        c.openStoredCount("user-1", 39);
        assertEquals(99, c.storedRatings());
        assertFalse(c.due(NOW));
        a.incrementAndGet();
        assertTrue(c.due(NOW), "no event since start is needed: the stores already hold 100");
        a.decrementAndGet();
        assertFalse(c.due(NOW), "a delete takes one away");
        // A task that closes and reopens is counted once, from its store.
        c.unregister("user-1");
        c.registerUserTask("user-1", TASK);
        c.openStoredCount("user-1", 39);
        assertEquals(99, c.storedRatings());
    }

    @Test
    void zeroDisablesTheEarlyFirstSweep() {
        SweepCoordinator c = coordinator(0, 1);
        c.registerUserTask("user-0", TASK);
        assertFalse(c.countsStoredRatings());
        c.openStoredCount("user-0", 1_000_000);
        c.onEvent();
        assertFalse(c.due(NOW));
    }

    @Test
    void aSkippedFirstSweepWaitsBeforeTryingAgain() {
        SweepCoordinator c = coordinator(10, 2);
        c.registerUserTask("user-0", TASK);
        c.registerTask("item-0");
        c.openStoredCount("user-0", 10);
        assertTrue(c.due(NOW));
        assertNull(c.runIfDue(NOW), "one of two user partitions here: no sweep");
        assertFalse(c.due(NOW + 1), "not retried at every punctuation");
        assertTrue(c.due(NOW + SweepCoordinator.FIRST_SWEEP_RETRY_MS));
    }

    /** A gathered sweep's outcome staged before every task installed the previous one serves that one's waiters. */
    @Test
    void aSweepStagedBeforeThePreviousIsInstalledServesItsWaiters() throws Exception {
        SweepCoordinator c = coordinator(0, 1);
        c.registerUserTask("user-0", TASK);
        c.registerTask("item-0");
        CompletableFuture<ModelEpoch> first = c.requestSweep(2, false);
        assertNotNull(c.runIfDue(NOW));
        Sweeper.Collector ratings = c.newCollector();
        TASK.collect(ratings);
        c.stage(c.compute(ratings, 2, 2, false), false);
        assertFalse(first.isDone());
        c.installed("user-0");
        c.installed("item-0");
        assertEquals(2, first.get(1, TimeUnit.SECONDS).epoch());
        assertEquals(2, live.epoch().epoch());
    }

    @Test
    void aRequestWaitsUntilEveryUserAndItemTaskIsHere() throws Exception {
        SweepCoordinator c = coordinator(0, 2);
        c.registerUserTask("user-0", TASK);
        c.registerTask("item-0");
        CompletableFuture<ModelEpoch> req = c.requestSweep(2, false);
        assertNull(c.runIfDue(NOW), "one of two user partitions here: no sweep");
        c.registerUserTask("user-1", EMPTY);
        assertNull(c.runIfDue(NOW + 1), "both user tasks, one of two item tasks: an item task would miss the install");
        assertFalse(req.isDone(), "the request stays pending (at start-up tasks register one by one)");
        c.registerTask("item-1");
        assertNotNull(c.runIfDue(NOW + 2));
        for (String t : List.of("user-0", "user-1", "item-0", "item-1")) {
            c.installed(t);
        }
        assertEquals(1, req.get(1, TimeUnit.SECONDS).epoch());
    }

    @Test
    void aRequestSaysWhichEpochServesItAndRequestsMeanwhileShareIt() throws Exception {
        SweepCoordinator c = coordinator(0, 1);
        c.registerUserTask("user-0", TASK);
        c.registerTask("item-0");
        c.openStoredCount("user-0", 0);
        SweepCoordinator.Requested first = c.request(2, false);
        SweepCoordinator.Requested second = c.request(3, true);
        assertEquals(1, first.epoch());
        assertEquals(1, second.epoch());
        assertNotNull(c.runIfDue(NOW));
        assertFalse(first.done().isDone(), "done once every task installed it");
        c.installed("user-0");
        c.installed("item-0");
        assertEquals(1, first.done().get(1, TimeUnit.SECONDS).epoch());
        assertEquals(1, second.done().get(1, TimeUnit.SECONDS).epoch());
        assertEquals(2, c.request(2, true).epoch());
        assertNull(c.pendingFor("user-0"));
    }
}
