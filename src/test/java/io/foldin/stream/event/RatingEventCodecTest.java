package io.foldin.stream.event;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RatingEventCodecTest {

    private final RatingEventParser parser = new RatingEventParser();

    @Test
    void writesTheSchemaShape() {
        assertEquals("{\"userId\":1,\"itemId\":296,\"rating\":5.0,\"timestamp\":1147880044}",
                RatingEventCodec.toJson(new RatingEvent(1, 296, 5.0f, 1147880044L)));
        assertEquals("{\"userId\":1,\"itemId\":2,\"rating\":null,\"timestamp\":3}",
                RatingEventCodec.toJson(RatingEvent.delete(1, 2, 3)));
    }

    /** Random events, any float in range (not just half stars), through codec and parser (fixed seed). */
    @Test
    void roundTripsThroughTheParser() {
        Random rnd = new Random(20240517);
        for (int i = 0; i < 100_000; i++) {
            int user = i % 100 == 0 ? Integer.MAX_VALUE : rnd.nextInt(Integer.MAX_VALUE);
            int item = i % 101 == 0 ? 0 : rnd.nextInt(Integer.MAX_VALUE);
            long ts = i % 103 == 0 ? RatingEvent.MAX_TIMESTAMP : (long) (rnd.nextDouble() * RatingEvent.MAX_TIMESTAMP);
            RatingEvent e;
            if (i % 10 == 0) {
                e = RatingEvent.delete(user, item, ts);
            } else if (i % 3 == 0) {
                e = new RatingEvent(user, item, 0.5f * (1 + rnd.nextInt(10)), ts);
            } else {
                float r = 0.5f + rnd.nextFloat() * 4.5f;
                e = new RatingEvent(user, item, Math.min(r, 5f), ts);
            }
            // A different record timestamp proves the event's own timestamp is used.
            assertEquals(e, parser.parse(RatingEventCodec.key(e), RatingEventCodec.encode(e), 7_000L), RatingEventCodec.toJson(e));
        }
    }

    @Test
    void eventRefusesInvalidValues() {
        assertThrows(IllegalArgumentException.class, () -> new RatingEvent(-1, 1, 3f, 0));
        assertThrows(IllegalArgumentException.class, () -> new RatingEvent(1, -1, 3f, 0));
        assertThrows(IllegalArgumentException.class, () -> new RatingEvent(1, 1, 5.5f, 0));
        assertThrows(IllegalArgumentException.class, () -> new RatingEvent(1, 1, Float.POSITIVE_INFINITY, 0));
        assertThrows(IllegalArgumentException.class, () -> new RatingEvent(1, 1, 3f, -1));
        assertThrows(IllegalArgumentException.class, () -> new RatingEvent(1, 1, 3f, RatingEvent.MAX_TIMESTAMP + 1));
    }
}
