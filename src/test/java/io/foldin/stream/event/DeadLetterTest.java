package io.foldin.stream.event;

import io.foldin.stream.kafka.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeadLetterTest {

    @Test
    void keepsBytesAndAddsReasonMessageAndSource() {
        byte[] key = "42".getBytes(StandardCharsets.UTF_8);
        byte[] value = "{\"userId\":42,\"itemId\":1,\"rating\":9}".getBytes(StandardCharsets.UTF_8);
        Rejection r = (Rejection) new RatingEventParser().parse(key, value, 0);

        ProducerRecord<byte[], byte[]> dlq = DeadLetter.record(key, value, Topics.RATINGS, 3, 1042L, r);

        assertEquals(Topics.RATINGS_DLQ, dlq.topic());
        assertArrayEquals(key, dlq.key());
        assertArrayEquals(value, dlq.value());
        assertNull(dlq.partition());
        assertEquals("rating_out_of_range", DeadLetter.header(dlq.headers(), DeadLetter.REASON));
        assertEquals(r.message(), DeadLetter.header(dlq.headers(), DeadLetter.MESSAGE));
        assertEquals("ratings-3@1042", DeadLetter.header(dlq.headers(), DeadLetter.SOURCE));
    }

    @Test
    void nullKeyAndValueAndLongMessages() {
        Rejection r = new Rejection(Reason.VALUE_MISSING, "é".repeat(DeadLetter.MAX_MESSAGE_CHARS - 4) + "🎬🎬🎬");
        ProducerRecord<byte[], byte[]> dlq = DeadLetter.record(null, null, "ratings", 0, 0, r);
        assertNull(dlq.key());
        assertNull(dlq.value());
        String message = DeadLetter.header(dlq.headers(), DeadLetter.MESSAGE);
        assertTrue(message.length() <= DeadLetter.MAX_MESSAGE_CHARS && message.endsWith("..."), message);
        assertTrue(!message.contains("\uFFFD"), "no broken surrogate pair");
    }
}
