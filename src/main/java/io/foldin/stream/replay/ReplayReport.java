package io.foldin.stream.replay;

/**
 * The outcome of one replay.
 *
 * @param attempted  events taken from the file (at most the limit; fewer when stopped)
 * @param delivered  events the broker acknowledged
 * @param errors     events that failed (unencodable, send refused, delivery failed or timed out); none is
 *                   dropped silently: {@code attempted == delivered + errors}
 * @param bytes      key + value bytes of the delivered events (payload, not wire bytes)
 * @param seconds    from the first send until every send was acknowledged or failed
 * @param stop       why sending ended
 * @param firstError message of the first failure, null if none
 */
public record ReplayReport(long attempted, long delivered, long errors, long bytes, double seconds, Stop stop,
                           String firstError) {

    /** Why the replay stopped sending. */
    public enum Stop {
        /** Every event up to the limit was sent (each then delivered or failed). */
        COMPLETED,
        /** {@link Replayer#stop} was called (Ctrl-C). */
        REQUESTED,
        /** An event was not acknowledged within the delivery timeout: the cluster is unreachable or stuck. */
        DELIVERY_TIMED_OUT,
        /** The producer refused a send (blocked past the delivery timeout, or failed for good). */
        SEND_REFUSED;

        /** snake_case for JSON. */
        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** True when sending ended before the last event (Ctrl-C, or the cluster failed). */
    public boolean stopped() {
        return stop != Stop.COMPLETED;
    }

    public double eventsPerSecond() {
        return seconds > 0 ? delivered / seconds : 0;
    }
}
