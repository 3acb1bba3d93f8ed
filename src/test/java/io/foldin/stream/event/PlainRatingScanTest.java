package io.foldin.stream.event;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fast path against the full Jackson reader: wherever it answers, it answers what the reader does. */
class PlainRatingScanTest {
    private static final String[] NAMES = {"userId", "itemId", "rating", "timestamp"};
    private static final String MUTATIONS = "{}\":,0.5-eE9 \t\nnul\\";
    private final RatingEventParser parser = new RatingEventParser();

    @Test
    void readsWhatOurProducersWrite() {
        // EventEncoder's and RatingEventCodec's form: the path the stream takes for every event of replay
        assertEquals(new RatingEvent(1, 296, 5.0f, 1147880044L),
                PlainRatingScan.scan(bytes("{\"userId\":1,\"itemId\":296,\"rating\":5.0,\"timestamp\":1147880044}")));
        assertEquals(new RatingEvent(0, 0, 0.5f, 0L),
                PlainRatingScan.scan(bytes(" {\n\"timestamp\" : 0 ,\"rating\":0.50,\t\"itemId\":0,\"userId\":0}\r\n")));
        assertTrue(((RatingEvent) PlainRatingScan.scan(
                bytes("{\"userId\":2147483647,\"itemId\":7,\"rating\":null,\"timestamp\":253402300799}"))).isDelete());
    }

    @Test
    void declinesWhatItCannotDecideAlone() {
        for (String v : List.of(
                "{\"userId\":1,\"itemId\":2,\"rating\":3}",                                    // no timestamp: record's
                "{\"userId\":1,\"itemId\":2,\"rating\":3,\"timestamp\":4,\"x\":1}",             // unknown field
                "{\"userId\":1,\"userId\":1,\"rating\":3,\"timestamp\":4}",                    // repeated
                "{\"userId\":01,\"itemId\":2,\"rating\":3,\"timestamp\":4}",                   // leading zero
                "{\"userId\":1.0,\"itemId\":2,\"rating\":3,\"timestamp\":4}",                  // integer as a decimal
                "{\"userId\":2147483648,\"itemId\":2,\"rating\":3,\"timestamp\":4}",           // beyond int32
                "{\"userId\":1,\"itemId\":2,\"rating\":5.0000000000000001,\"timestamp\":4}",   // rounds onto 5
                "{\"userId\":1,\"itemId\":2,\"rating\":3e0,\"timestamp\":4}",                  // exponent
                "{\"userId\":1,\"itemId\":2,\"rating\":5.5,\"timestamp\":4}",                  // out of range
                "{\"user\\u0049d\":1,\"itemId\":2,\"rating\":3,\"timestamp\":4}",              // escape
                "{\"userId\":1,\"itemId\":2,\"rating\":3,\"timestamp\":253402300800}",         // after year 9999
                "{\"userId\":1,\"itemId\":2,\"rating\":3,\"timestamp\":4} x")) {               // trailing data
            assertNull(PlainRatingScan.scan(bytes(v)), v);
        }
    }

    /**
     * Random events in many spellings, then byte mutations of them: every value the fast path reads gives the
     * event the Jackson reader gives (seed 42).
     */
    @Test
    void agreesWithTheFullReader() {
        Random rnd = new Random(42);
        int fast = 0;
        int plain = 0;
        for (int i = 0; i < 200_000; i++) {
            String v = event(rnd);
            byte[] b = bytes(v);
            boolean mutated = i % 2 == 1;
            if (mutated) {
                for (int m = 1 + rnd.nextInt(3); m > 0; m--) {
                    int at = rnd.nextInt(b.length);
                    int kind = rnd.nextInt(3);
                    if (kind == 0) {
                        b[at] = (byte) MUTATIONS.charAt(rnd.nextInt(MUTATIONS.length()));
                    } else if (kind == 1) {
                        b = java.util.Arrays.copyOf(b, at);
                        if (b.length == 0) {
                            break;
                        }
                    } else {
                        byte[] c = new byte[b.length + 1];
                        System.arraycopy(b, 0, c, 0, at);
                        c[at] = (byte) MUTATIONS.charAt(rnd.nextInt(MUTATIONS.length()));
                        System.arraycopy(b, at, c, at + 1, b.length - at);
                        b = c;
                    }
                }
            } else {
                plain++;
            }
            if (b.length == 0) {
                continue;
            }
            RatingEvent scanned = PlainRatingScan.scan(b);
            if (scanned != null) {
                fast += mutated ? 0 : 1;
                assertEquals(parser.parseFully(-1, b, 1_000L), scanned, new String(b, StandardCharsets.ISO_8859_1));
            }
        }
        // The generator spells a third of its values in forms only the full reader decides (ids as 1.0, ids
        // and ratings out of range, 16 digits); the rest take the fast path: 29,337 of 100,000 with this seed.
        assertTrue(fast > plain / 4, fast + " of " + plain + " unmutated values took the fast path");
    }

    @Test
    void theParserUsesItAndStillChecksTheKey() {
        byte[] v = bytes("{\"userId\":1,\"itemId\":296,\"rating\":5.0,\"timestamp\":1147880044}");
        assertEquals(new RatingEvent(1, 296, 5.0f, 1147880044L), parser.parse(UserKey.of(1), v, 0));
        Rejection r = (Rejection) parser.parse(UserKey.of(2), v, 0);
        assertEquals(Reason.KEY_MISMATCH, r.reason());
        assertNotNull(parser.parse(null, v, 0));
    }

    /** A random event: fields in random order, numbers in plain and unusual spellings, random whitespace. */
    private static String event(Random rnd) {
        List<String> fields = new ArrayList<>();
        for (String name : NAMES) {
            String value = switch (name) {
                case "userId", "itemId" -> id(rnd);
                case "rating" -> rating(rnd);
                default -> rnd.nextInt(10) == 0 ? "253402300799" : Long.toString(rnd.nextInt(10) == 0
                        ? rnd.nextLong() & 0xFFFFFFFFFFFL : 1_000_000_000L + rnd.nextInt(700_000_000));
            };
            if (rnd.nextInt(40) == 0) {
                continue; // a missing field
            }
            fields.add(space(rnd) + "\"" + name + "\"" + space(rnd) + ":" + space(rnd) + value + space(rnd));
        }
        java.util.Collections.shuffle(fields, rnd);
        return space(rnd) + "{" + String.join(",", fields) + "}" + space(rnd);
    }

    private static String id(Random rnd) {
        return switch (rnd.nextInt(8)) {
            case 0 -> "2147483647";
            case 1 -> "2147483648";
            case 2 -> "0";
            case 3 -> rnd.nextInt(1000) + ".0";
            default -> Integer.toString(rnd.nextInt(rnd.nextBoolean() ? 1000 : Integer.MAX_VALUE));
        };
    }

    private static String rating(Random rnd) {
        return switch (rnd.nextInt(12)) {
            case 0 -> "null";
            case 1 -> "5";
            case 2 -> "5.000000000000001";
            case 3 -> "0.49999999999999";
            case 4 -> "4.99999999999999999";
            case 5 -> Double.toString(rnd.nextDouble() * 6);
            case 6 -> "0.5";
            case 7 -> String.format(java.util.Locale.ROOT, "%.14f", 0.5 + rnd.nextDouble() * 4.5);
            default -> (1 + rnd.nextInt(10)) / 2 + (rnd.nextBoolean() ? ".5" : ".0");
        };
    }

    private static String space(Random rnd) {
        return switch (rnd.nextInt(6)) {
            case 0 -> " ";
            case 1 -> "\n\t ";
            default -> "";
        };
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
