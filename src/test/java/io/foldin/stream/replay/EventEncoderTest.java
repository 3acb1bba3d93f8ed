package io.foldin.stream.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventEncoderTest {
    private final EventEncoder encoder = new EventEncoder();

    @Test
    void writesTheSchemaExampleByteForByte() {
        encoder.encode(1, 296, 5.0f, 1147880044L);
        assertEquals("1", text(encoder.key()));
        assertEquals("{\"userId\":1,\"itemId\":296,\"rating\":5.0,\"timestamp\":1147880044}", text(encoder.value()));
        assertEquals(encoder.valueLength(), encoder.value().length);
    }

    @Test
    void reusesItsBufferWithoutLeftovers() {
        encoder.encode(200948, 292757, 3.5f, 1697163752L);
        encoder.encode(7, 0, 0.5f, 0);
        assertEquals("7", text(encoder.key()));
        assertEquals("{\"userId\":7,\"itemId\":0,\"rating\":0.5,\"timestamp\":0}", text(encoder.value()));
    }

    @Test
    void writesOddRatingsAndNegativeNumbersAsJsonNumbers() {
        encoder.encode(-3, Long.MAX_VALUE, 3.7f, Long.MIN_VALUE);
        assertEquals("{\"userId\":-3,\"itemId\":9223372036854775807,\"rating\":3.7,\"timestamp\":-9223372036854775808}",
                text(encoder.value()));
        encoder.encode(1, 2, -1.5f, 3);
        assertEquals("{\"userId\":1,\"itemId\":2,\"rating\":-1.5,\"timestamp\":3}", text(encoder.value()));
        encoder.encode(1, 2, 10f, 3);
        assertEquals("{\"userId\":1,\"itemId\":2,\"rating\":10.0,\"timestamp\":3}", text(encoder.value()));
    }

    @Test
    void refusesNonFiniteRatings() {
        assertThrows(IllegalArgumentException.class, () -> encoder.encode(1, 2, Float.NaN, 3));
        assertThrows(IllegalArgumentException.class, () -> encoder.encode(1, 2, Float.POSITIVE_INFINITY, 3));
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }
}
