package io.foldin.stream.event;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class RatingEventParserTest {

    private static final long RECORD_TS_MS = 1_700_000_000_123L;
    private static final String MUTATIONS = "{}[]\":,0.-e9 nul";
    private static final String OK = "{\"userId\":1,\"itemId\":296,\"rating\":5.0,\"timestamp\":1147880044}";

    private final RatingEventParser parser = new RatingEventParser();

    /** The malformed-event corpus: label, key (null = no key), value bytes, expected reason. */
    static Stream<Arguments> malformed() {
        String deep = "{\"userId\":1,\"itemId\":2,\"rating\":3,\"x\":" + "[".repeat(16) + "]".repeat(16) + "}";
        String bomb = "{\"userId\":1,\"itemId\":2,\"rating\":3,\"x\":" + "[".repeat(2000) + "]".repeat(2000) + "}";
        String big = "{\"userId\":1,\"itemId\":2,\"rating\":3,\"pad\":\"" + "x".repeat(4100) + "\"}";
        return Stream.of(
                row("null value (tombstone)", null, (byte[]) null, Reason.VALUE_MISSING),
                row("empty value", null, new byte[0], Reason.VALUE_MISSING),
                row("oversized value", null, big, Reason.VALUE_TOO_LARGE),
                row("depth bomb", null, bomb, Reason.TOO_DEEP),
                row("17 levels", null, deep, Reason.TOO_DEEP),
                row("key not a number", "abc", OK, Reason.KEY_INVALID),
                row("key with leading zero", "01", OK, Reason.KEY_INVALID),
                row("key negative", "-1", OK, Reason.KEY_INVALID),
                row("key too large", "2147483648", OK, Reason.KEY_INVALID),
                row("empty key", "", OK, Reason.KEY_INVALID),
                row("key differs from userId", "2", OK, Reason.KEY_MISMATCH),
                row("invalid UTF-8 in unknown field", null,
                        concat(bytes("{\"userId\":1,\"itemId\":2,\"rating\":3,\"x\":\""), new byte[]{(byte) 0xC3, '"', '}'}),
                        Reason.INVALID_UTF8),
                row("overlong UTF-8 slash", null, concat(bytes("{\"a\":\""), new byte[]{(byte) 0xC0, (byte) 0xAF, '"', '}'}), Reason.INVALID_UTF8),
                row("encoded surrogate", null, concat(bytes("{\"a\":\""), new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'}), Reason.INVALID_UTF8),
                row("not JSON", null, "userId=1,itemId=2", Reason.UNPARSABLE_JSON),
                row("only whitespace", null, "  \n ", Reason.UNPARSABLE_JSON),
                row("truncated", null, "{\"userId\":1,\"itemId\":2,\"rat", Reason.UNPARSABLE_JSON),
                row("single quotes", null, "{'userId':1,'itemId':2,'rating':3}", Reason.UNPARSABLE_JSON),
                row("NaN literal", null, "{\"userId\":1,\"itemId\":2,\"rating\":NaN}", Reason.UNPARSABLE_JSON),
                row("comment", null, "{\"userId\":1,/*x*/\"itemId\":2,\"rating\":3}", Reason.UNPARSABLE_JSON),
                row("leading zero number", null, "{\"userId\":01,\"itemId\":2,\"rating\":3}", Reason.UNPARSABLE_JSON),
                row("trailing comma", null, "{\"userId\":1,\"itemId\":2,\"rating\":3,}", Reason.UNPARSABLE_JSON),
                row("array", null, "[1,296,5.0]", Reason.NOT_AN_OBJECT),
                row("string", null, "\"hello\"", Reason.NOT_AN_OBJECT),
                row("null literal", null, "null", Reason.NOT_AN_OBJECT),
                row("trailing garbage", null, OK + "xyz", Reason.TRAILING_DATA),
                row("second object", null, OK + " {}", Reason.TRAILING_DATA),
                row("extra close brace", null, OK + "}", Reason.TRAILING_DATA),
                row("duplicate rating", null, "{\"userId\":1,\"itemId\":2,\"rating\":3,\"rating\":4}", Reason.DUPLICATE_FIELD),
                row("duplicate unknown", null, "{\"a\":1,\"a\":2,\"userId\":1,\"itemId\":2,\"rating\":3}", Reason.DUPLICATE_FIELD),
                row("missing userId", null, "{\"itemId\":2,\"rating\":3}", Reason.MISSING_USER_ID),
                row("missing itemId", null, "{\"userId\":1,\"rating\":3}", Reason.MISSING_ITEM_ID),
                row("missing rating", null, "{\"userId\":1,\"itemId\":2}", Reason.MISSING_RATING),
                row("empty object", null, "{}", Reason.MISSING_USER_ID),
                row("userId as string", null, "{\"userId\":\"1\",\"itemId\":2,\"rating\":3}", Reason.ID_WRONG_TYPE),
                row("itemId null", null, "{\"userId\":1,\"itemId\":null,\"rating\":3}", Reason.ID_WRONG_TYPE),
                row("itemId object", null, "{\"userId\":1,\"itemId\":{\"id\":2},\"rating\":3}", Reason.ID_WRONG_TYPE),
                row("fractional itemId", null, "{\"userId\":1,\"itemId\":2.5,\"rating\":3}", Reason.ID_NOT_INTEGER),
                row("negative userId", null, "{\"userId\":-1,\"itemId\":2,\"rating\":3}", Reason.ID_OUT_OF_RANGE),
                row("userId 2^31", null, "{\"userId\":2147483648,\"itemId\":2,\"rating\":3}", Reason.ID_OUT_OF_RANGE),
                row("itemId huge integer", null, "{\"userId\":1,\"itemId\":" + "9".repeat(2000) + ",\"rating\":3}", Reason.ID_OUT_OF_RANGE),
                row("itemId 1e10", null, "{\"userId\":1,\"itemId\":1e10,\"rating\":3}", Reason.ID_OUT_OF_RANGE),
                row("rating string", null, "{\"userId\":1,\"itemId\":2,\"rating\":\"5\"}", Reason.RATING_WRONG_TYPE),
                row("rating boolean", null, "{\"userId\":1,\"itemId\":2,\"rating\":true}", Reason.RATING_WRONG_TYPE),
                row("rating array", null, "{\"userId\":1,\"itemId\":2,\"rating\":[5]}", Reason.RATING_WRONG_TYPE),
                row("rating 1e400", null, "{\"userId\":1,\"itemId\":2,\"rating\":1e400}", Reason.RATING_NOT_FINITE),
                row("rating too high", null, "{\"userId\":1,\"itemId\":2,\"rating\":5.5}", Reason.RATING_OUT_OF_RANGE),
                row("rating zero", null, "{\"userId\":1,\"itemId\":2,\"rating\":0}", Reason.RATING_OUT_OF_RANGE),
                row("rating negative", null, "{\"userId\":1,\"itemId\":2,\"rating\":-3}", Reason.RATING_OUT_OF_RANGE),
                row("rating a hair above 5", null, "{\"userId\":1,\"itemId\":2,\"rating\":5.00000000000000000001}", Reason.RATING_OUT_OF_RANGE),
                row("rating a hair below 0.5", null, "{\"userId\":1,\"itemId\":2,\"rating\":0.49999999999999999999}", Reason.RATING_OUT_OF_RANGE),
                row("timestamp string", null, "{\"userId\":1,\"itemId\":2,\"rating\":3,\"timestamp\":\"1\"}", Reason.TIMESTAMP_WRONG_TYPE),
                row("timestamp null", null, "{\"userId\":1,\"itemId\":2,\"rating\":3,\"timestamp\":null}", Reason.TIMESTAMP_WRONG_TYPE),
                row("timestamp fractional", null, "{\"userId\":1,\"itemId\":2,\"rating\":3,\"timestamp\":1.5}", Reason.TIMESTAMP_WRONG_TYPE),
                row("timestamp negative", null, "{\"userId\":1,\"itemId\":2,\"rating\":3,\"timestamp\":-5}", Reason.TIMESTAMP_OUT_OF_RANGE),
                row("timestamp in ms", null, "{\"userId\":1,\"itemId\":2,\"rating\":3,\"timestamp\":1147880044000}", Reason.TIMESTAMP_OUT_OF_RANGE),
                row("timestamp huge", null, "{\"userId\":1,\"itemId\":2,\"rating\":3,\"timestamp\":99999999999999999999999}", Reason.TIMESTAMP_OUT_OF_RANGE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsMalformedEvents(String label, byte[] key, byte[] value, Reason expected) {
        ParseResult r = parser.parse(key, value, RECORD_TS_MS);
        Rejection rejection = assertInstanceOf(Rejection.class, r, label);
        assertEquals(expected, rejection.reason(), () -> label + ": " + rejection.message());
        assertTrue(rejection.message().length() < 300, rejection::message);
    }

    @Test
    void corpusCoversEveryReasonButTheRecordTimestampOne() {
        Set<Reason> covered = EnumSet.noneOf(Reason.class);
        malformed().forEach(a -> covered.add((Reason) a.get()[3]));
        Set<Reason> missing = EnumSet.complementOf(EnumSet.copyOf(covered));
        // the interaction-only reasons are covered by SchemaContractTest (InteractionEventParser)
        assertEquals(EnumSet.of(Reason.TIMESTAMP_MISSING, Reason.WEIGHT_WRONG_TYPE, Reason.WEIGHT_OUT_OF_RANGE,
                Reason.KIND_INVALID), missing);
        assertEquals(Reason.TIMESTAMP_MISSING, ((Rejection) parser.parse(null,
                bytes("{\"userId\":1,\"itemId\":2,\"rating\":3}"), -1)).reason());
    }

    @Test
    void reasonCodesAreStableSnakeCase() {
        Set<String> codes = new java.util.HashSet<>();
        for (Reason r : Reason.values()) {
            assertTrue(r.code().matches("[a-z][a-z0-9]*(_[a-z0-9]+)*"), r.code());
            assertTrue(codes.add(r.code()), "duplicate code " + r.code());
            assertEquals(r, Reason.ofCode(r.code()));
            assertEquals(r.name().toLowerCase(java.util.Locale.ROOT), r.code()); // today's convention
        }
    }

    @Test
    void acceptsValidEvents() {
        assertEquals(new RatingEvent(1, 296, 5.0f, 1147880044L), parser.parse(bytes("1"), bytes(OK), RECORD_TS_MS));
        assertEquals(new RatingEvent(1, 296, 5.0f, 1147880044L), parser.parse(null, bytes(OK), RECORD_TS_MS));
        assertEquals(RatingEvent.delete(7, 3, 10), parse("{\"rating\":null,\"itemId\":3,\"userId\":7,\"timestamp\":10}"));
        assertEquals(new RatingEvent(7, 3, 3.5f, RECORD_TS_MS / 1000), parse(" {\"userId\":7,\"itemId\":3,\"rating\":3.5}\n"));
        assertEquals(new RatingEvent(0, Integer.MAX_VALUE, 0.5f, RatingEvent.MAX_TIMESTAMP),
                parse("{\"userId\":0,\"itemId\":2147483647,\"rating\":0.5,\"timestamp\":253402300799}"));
        assertEquals(new RatingEvent(12, 300, 4f, 5), parse("{\"userId\":12.0,\"itemId\":3e2,\"rating\":4,\"timestamp\":5.0}"));
        assertEquals(new RatingEvent(1, 2, 5f, 9), parse("{\"userId\":1,\"itemId\":2,\"rating\":5.000000000000000000,\"timestamp\":9}"));
        // Unknown fields of any type, nested up to the limit, are ignored.
        String nested15 = "[".repeat(15) + "]".repeat(15);
        assertEquals(new RatingEvent(1, 2, 3f, 9), parse("{\"userId\":1,\"src\":\"web\",\"x\":" + nested15
                + ",\"o\":{\"a\":{\"a\":1},\"a\":2},\"itemId\":2,\"rating\":3,\"timestamp\":9,\"n\":null,\"t\":true}"));
        // Non-ASCII in unknown fields is fine when it is well-formed UTF-8.
        assertEquals(new RatingEvent(1, 2, 3f, 9), parse("{\"userId\":1,\"itemId\":2,\"rating\":3,\"timestamp\":9,\"note\":\"très bien 🎬\"}"));
    }

    @Test
    void limitsAreConfigurable() {
        RatingEventParser strict = new RatingEventParser(64, 1);
        assertEquals(Reason.TOO_DEEP, ((Rejection) strict.parse(null,
                bytes("{\"userId\":1,\"itemId\":2,\"rating\":3,\"x\":[]}"), 0)).reason());
        assertEquals(Reason.VALUE_TOO_LARGE, ((Rejection) strict.parse(null,
                bytes("{\"userId\":1,\"itemId\":2,\"rating\":3,\"pad\":\"" + "x".repeat(40) + "\"}"), 0)).reason());
        assertInstanceOf(RatingEvent.class, strict.parse(null, bytes(OK), 0));
    }

    /** Never throws: random bytes, and single-byte mutations and truncations of valid events (fixed seed). */
    @Test
    void neverThrowsOnMutatedInput() {
        Random rnd = new Random(42);
        List<byte[]> seeds = List.of(bytes(OK), bytes("{\"userId\":1,\"itemId\":2,\"rating\":null,\"x\":[{\"a\":\"é\"}]}"));
        int accepted = 0;
        for (int i = 0; i < 50_000; i++) {
            byte[] v;
            if (i % 10 == 0) {
                v = new byte[rnd.nextInt(100)];
                rnd.nextBytes(v);
            } else {
                byte[] s = seeds.get(rnd.nextInt(seeds.size()));
                v = Arrays.copyOf(s, rnd.nextInt(s.length) + 1 + (i % 3 == 0 ? 0 : s.length));
                v = Arrays.copyOf(v, Math.min(v.length, s.length));
                v[rnd.nextInt(v.length)] = (byte) (i % 2 == 0 ? rnd.nextInt(256) : MUTATIONS.charAt(rnd.nextInt(MUTATIONS.length())));
            }
            byte[] key = i % 7 == 0 ? Arrays.copyOf(v, Math.min(v.length, 3)) : null;
            try {
                ParseResult r = parser.parse(key, v, RECORD_TS_MS);
                if (r instanceof RatingEvent) {
                    accepted++;
                }
            } catch (RuntimeException e) {
                fail("threw on " + new String(v, StandardCharsets.ISO_8859_1), e);
            }
        }
        assertTrue(accepted > 0, "some mutations (e.g. of a digit) stay valid");
    }

    private ParseResult parse(String value) {
        return parser.parse(null, bytes(value), RECORD_TS_MS);
    }

    private static Arguments row(String label, String key, String value, Reason reason) {
        return row(label, key, bytes(value), reason);
    }

    private static Arguments row(String label, String key, byte[] value, Reason reason) {
        return Arguments.of(label, key == null ? null : bytes(key), value, reason);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
