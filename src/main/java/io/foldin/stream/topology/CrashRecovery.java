package io.foldin.stream.topology;

import io.foldin.stream.live.ModelEpoch;
import io.foldin.stream.sweep.SweepCoordinator;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Makes the statistics agree with the stored ratings again after a crash, under either guarantee.
 *
 * <p>The stores of a user task are written at different moments: its ratings every publish interval, its
 * users' statistics once idle or at the commit, its item updates every few milliseconds. A crash between
 * two commits leaves in the changelogs whatever had been sent of each, and the events after the last
 * committed offset are processed again. A rating already stored then reads as a re-rate of itself and is
 * not counted, though its user's statistics may not hold it (a user with fewer ratings); an item update
 * already sent is sent again as an addition (an item with one more). Under exactly-once each stream thread's
 * transaction aborts its own writes together, but a sweep spans threads: it reads every user task's ratings,
 * the uncommitted ones of other threads included, and each thread commits its install in its own transaction.
 * A crash in between leaves committed item statistics that count a rating whose own write was aborted; the
 * replayed event then adds it again in the new epoch (seen in {@code CrashRestartTest}: 495 items with one
 * rating too many, with two stream threads and a sweep every 10,000 events).
 *
 * <p>The ratings store is the truth: a rating is keyed by (user, item), so processing an event again leaves
 * it as it was. Everything else is derived from it, and a sweep derives all of it: it refits the factors
 * from the stored ratings and rebuilds every user's and item's statistics, and the item updates still in
 * flight carry the older epoch and are skipped. So after a crash this asks for one sweep, which runs as
 * soon as every task of the instance is up; from its install on, the counts are exact again, and the
 * events processed afterwards fold into statistics that agree with the ratings.
 *
 * <p>A crash is recognised by a marker file beside the state directory's application folder, created at
 * start and deleted by a clean close; and, for a state directory that is new or was wiped, by a store of
 * the user or item side restoring records from its changelog (a clean close leaves RocksDB at the end of
 * its changelog, so a clean restart restores nothing).
 */
final class CrashRecovery implements StateRestoreListener {
    private static final Logger LOG = LoggerFactory.getLogger(CrashRecovery.class);
    private static final Set<String> DERIVED_OR_TRUTH = Set.of(Stores.USER_RATINGS, Stores.USER_STATS,
            Stores.ITEM_STATS);

    private final SweepCoordinator sweeps;
    private final Path marker;
    private volatile CompletableFuture<ModelEpoch> sweep;

    private CrashRecovery(SweepCoordinator sweeps, Path marker) {
        this.sweeps = sweeps;
        this.marker = marker;
    }

    /** Checks and sets the marker. */
    static CrashRecovery start(StreamConfig config, SweepCoordinator sweeps) {
        Path marker = config.stateDir().resolve(config.applicationId() + ".running");
        CrashRecovery r = new CrashRecovery(sweeps, marker);
        try {
            Files.createDirectories(config.stateDir());
            if (Files.exists(marker)) {
                r.request("the last run did not shut down cleanly (" + marker + " was left)");
            }
            Files.writeString(marker, ProcessHandle.current().pid() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + marker, e);
        }
        return r;
    }

    /** The recovery sweep, completed once every task installed it; null when none was needed. */
    CompletableFuture<ModelEpoch> sweep() {
        return sweep;
    }

    /** After Streams closed cleanly: the next start needs no recovery. */
    void closedCleanly() {
        try {
            Files.deleteIfExists(marker);
        } catch (IOException e) {
            LOG.warn("cannot delete {}: the next start will sweep to recover ({})", marker, e.toString());
        }
    }

    private synchronized void request(String why) {
        if (sweep != null) {
            return;
        }
        LOG.warn("recovery: {}; a sweep rebuilds the statistics from the stored ratings as soon as every task is "
                + "up (a crash may have left them disagreeing)", why);
        sweep = sweeps.requestRecoverySweep();
        sweep.whenComplete((e, t) -> {
            if (t == null) {
                LOG.info("recovery: sweep installed, epoch {}; statistics agree with the stored ratings", e.epoch());
            }
        });
    }

    @Override
    public void onRestoreStart(TopicPartition partition, String store, long startingOffset, long endingOffset) {
    }

    /**
     * Records actually restored, not the offset range: under exactly-once a clean close leaves the changelog's
     * last offset to a transaction marker, so a clean restart "restores" a range holding no record.
     */
    @Override
    public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {
        if (numRestored > 0 && DERIVED_OR_TRUTH.contains(store)) {
            request(store + " restored changelog records of " + partition);
        }
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
    }
}
