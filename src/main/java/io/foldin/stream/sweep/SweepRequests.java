package io.foldin.stream.sweep;

import io.foldin.stream.live.ModelEpoch;

import java.util.concurrent.CompletableFuture;

/**
 * Requested sweeps and the epochs that serve them, under one lock so a request learns which epoch will: the
 * request waiting, the one a running sweep serves ({@code inFlight}), the epoch being produced, and the gap
 * to the live epoch (1, or {@link SweepCoordinator#RECOVERY_EPOCH_GAP} after a crash, docs/design.md §3.3).
 * A request made on an instance that cannot lead is forwarded to the leader (docs/design.md §2.9) and served
 * by the next sweep installed here.
 */
final class SweepRequests {
    /** How often a request is sent to the leader again while no sweep serves it. */
    static final long FORWARD_MS = 5_000;

    record Request(int iterations, boolean warm, CompletableFuture<ModelEpoch> done) {
    }

    /** A sweep about to run: the request it serves (null: the schedule's) and its epoch. */
    record Taken(Request request, int epoch) {
    }

    private volatile Request request;
    private Request inFlight;
    private int producing;
    private int epochGap = 1;
    private volatile long forwardedMs;

    boolean waiting() {
        return request != null;
    }

    /** Adds a request; a request still waiting is replaced and completes with this one. Returns the epoch expected. */
    synchronized int add(Request r, int liveEpoch) {
        Request replaced = request;
        request = r;
        if (replaced != null) {
            chain(r, replaced);
        }
        return producing > 0 ? producing + 1 : liveEpoch + epochGap;
    }

    /** The next sweep's epoch lies {@link SweepCoordinator#RECOVERY_EPOCH_GAP} beyond the live one. */
    synchronized void recovery() {
        epochGap = SweepCoordinator.RECOVERY_EPOCH_GAP;
    }

    /** Takes the waiting request for a sweep whose epoch is at least {@code floor}. */
    synchronized Taken take(int liveEpoch, int floor) {
        Request r = request;
        request = null;
        inFlight = r;
        producing = Math.max(liveEpoch + epochGap, floor);
        epochGap = 1;
        return new Taken(r, producing);
    }

    /** The request to forward to the leader now, or null (none, or forwarded less than {@link #FORWARD_MS} ago). */
    synchronized Request forwardDue(long nowMs) {
        if (request == null || nowMs - forwardedMs < FORWARD_MS) {
            return null;
        }
        forwardedMs = nowMs;
        return request;
    }

    synchronized boolean recoveryWaiting() {
        return epochGap > 1;
    }

    /**
     * A sweep's outcome is staged here: the request it served, or, for a sweep the leader computed, a request
     * that was forwarded from here to the leader.
     */
    synchronized Request served(boolean computedHere) {
        Request served = inFlight;
        inFlight = null;
        producing = 0;
        if (served == null && !computedHere && forwardedMs > 0) {
            served = request;
            request = null;
            forwardedMs = 0;
        }
        return served;
    }

    /** The running sweep failed or was abandoned: its request waits for the next one. */
    synchronized void abandoned() {
        producing = 0;
        Request r = inFlight;
        inFlight = null;
        if (r != null && request == null) {
            request = r;
        } else if (r != null) {
            chain(request, r);
        }
    }

    /** {@code later}'s completion completes {@code earlier} too. */
    private static void chain(Request later, Request earlier) {
        later.done().whenComplete((e, t) -> {
            if (t != null) {
                earlier.done().completeExceptionally(t);
            } else {
                earlier.done().complete(e);
            }
        });
    }
}
