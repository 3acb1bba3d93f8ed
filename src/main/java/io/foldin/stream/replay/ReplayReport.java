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
 * @param stopped    true when stopped before the end (Ctrl-C, or the producer failed for good)
 * @param firstError message of the first failure, null if none
 */
public record ReplayReport(long attempted, long delivered, long errors, long bytes, double seconds, boolean stopped,
                           String firstError) {

    public double eventsPerSecond() {
        return seconds > 0 ? delivered / seconds : 0;
    }
}
