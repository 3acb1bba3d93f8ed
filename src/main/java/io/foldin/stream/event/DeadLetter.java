package io.foldin.stream.event;

import io.foldin.stream.kafka.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Builds the {@link Topics#RATINGS_DLQ} record for a rejected event: the original key and value bytes unchanged
 * (so the event can be fixed and replayed as it was sent) plus three UTF-8 headers:
 * <ul>
 *   <li>{@value #REASON} — the {@link Reason#code()}, e.g. {@code rating_out_of_range}</li>
 *   <li>{@value #MESSAGE} — the human-readable {@link Rejection#message()}, at most {@value #MAX_MESSAGE_CHARS} chars</li>
 *   <li>{@value #SOURCE} — where the event came from, {@code topic-partition@offset}, e.g. {@code ratings-3@1042}</li>
 * </ul>
 * Stateless; all methods are static.
 */
public final class DeadLetter {

    public static final String REASON = "foldin.dlq.reason";
    public static final String MESSAGE = "foldin.dlq.message";
    public static final String SOURCE = "foldin.dlq.source";
    /** Headers count towards the broker's record size limit; a message is a sentence, not a payload. */
    public static final int MAX_MESSAGE_CHARS = 500;

    private DeadLetter() {
    }

    /** {@code topic-partition@offset}, the value of the {@value #SOURCE} header. */
    public static String source(String topic, int partition, long offset) {
        return topic + "-" + partition + "@" + offset;
    }

    /**
     * The three DLQ headers for a rejection of the record at {@code topic}-{@code partition}@{@code offset}.
     * Returns a new mutable {@link Headers}, for the Streams processor API or a producer record.
     */
    public static Headers headers(Rejection rejection, String topic, int partition, long offset) {
        Objects.requireNonNull(rejection, "rejection");
        Objects.requireNonNull(topic, "topic");
        String message = rejection.message();
        if (message.length() > MAX_MESSAGE_CHARS) {
            int cut = MAX_MESSAGE_CHARS - 3;
            if (Character.isHighSurrogate(message.charAt(cut - 1))) {
                cut--; // never split a surrogate pair: half of one is not encodable as UTF-8
            }
            message = message.substring(0, cut) + "...";
        }
        RecordHeaders h = new RecordHeaders();
        h.add(REASON, utf8(rejection.code()));
        h.add(MESSAGE, utf8(message));
        h.add(SOURCE, utf8(source(topic, partition, offset)));
        return h;
    }

    /**
     * The DLQ record for topic {@link Topics#RATINGS_DLQ}: same key and value bytes (either may be null), the
     * {@link #headers} and no partition (the DLQ has one) and no timestamp (the producer stamps the rejection time).
     */
    public static ProducerRecord<byte[], byte[]> record(byte[] key, byte[] value, String topic, int partition,
                                                       long offset, Rejection rejection) {
        return new ProducerRecord<>(Topics.RATINGS_DLQ, null, null, key, value,
                headers(rejection, topic, partition, offset));
    }

    /** A header's value as text; null when the header is absent. For tests and DLQ tooling. */
    public static String header(Headers headers, String name) {
        var h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
