package io.foldin.cli;

import io.foldin.stream.replay.Replayer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT) or SIGTERM during a replay: stop sending, give the events in flight a bounded time, and
 * let the replaying thread print its report before the JVM exits. The JVM runs shutdown hooks and exits
 * once they return, with 128 + the signal (130 for SIGINT), so the hook is what holds the exit until the
 * report is out, and the process says it was interrupted through that exit code.
 */
final class ReplayInterrupt implements AutoCloseable {
    /** Exit code of a replay stopped by Ctrl-C: what the JVM exits with on SIGINT (128 + 2). */
    static final int EXIT_INTERRUPTED = 130;
    /** How long the send loop may take to notice the stop before a send stuck on the cluster is aborted. */
    private static final Duration STUCK_PATIENCE = Duration.ofSeconds(1);
    /** Room to print the report after the grace period (a --users-out file of a large replay included). */
    private static final Duration REPORT_MARGIN = Duration.ofSeconds(5);

    private final Thread hook;
    private final CountDownLatch reported = new CountDownLatch(1);
    private volatile boolean fired;

    ReplayInterrupt(Replayer replayer) {
        long waitMillis = replayer.stopGrace().plus(STUCK_PATIENCE).plus(REPORT_MARGIN).toMillis();
        hook = new Thread(() -> {
            fired = true;
            replayer.stop();
            try {
                replayer.abortIfStuck(STUCK_PATIENCE);
                reported.await(waitMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "replay-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Whether the replay was stopped by a signal (the report then says so). */
    boolean fired() {
        return fired;
    }

    /** The report is out (or the replay failed): the hook may return and the JVM exit. */
    @Override
    public void close() {
        reported.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down (Ctrl-C): the hook is running and returns now that the latch is open
        }
    }
}
