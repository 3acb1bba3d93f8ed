package io.foldin.stream.event;

/**
 * The parser's fast path: reads a rating event written in the plain form every producer of ours writes
 * ({@code {"userId":1,"itemId":296,"rating":5.0,"timestamp":1147880044}}, the four fields in any order, JSON
 * whitespace anywhere between tokens), or answers null and leaves the value to the full Jackson reader of
 * {@link RatingEventParser}. Creating a Jackson parser, its symbol table and its buffers per record cost
 * ~1 µs, a tenth of the user fold-in's work per event; this loop reads the same bytes in a few dozen ns.
 *
 * <p>It accepts only what the full reader accepts with the same result, and declines everything else,
 * valid or not: non-ASCII bytes, escapes, unknown, missing or repeated fields, signs, exponents, leading
 * zeros, ids beyond int32, timestamps beyond {@link RatingEvent#MAX_TIMESTAMP}, ratings outside
 * [0.5, 5] or with more than 15 digits. Within 15 digits a rating {@code m / 10^k} (m < 2^53, k ≤ 15, both
 * exact doubles) divides to the correctly rounded double, the value {@code Double.parseDouble} gives, and
 * a decimal that differs from 0.5 or 5 by at least 1e-15 cannot round onto either bound (half an ulp of
 * 5 is 4.4e-16), so the plain range test is exact. {@code RatingEventParserTest} checks the agreement on
 * random and mutated values against the Jackson reader.
 */
final class PlainRatingScan {
    private static final double[] POW10 = new double[16];

    static {
        double p = 1;
        for (int k = 0; k < POW10.length; k++) {
            POW10[k] = p;
            p *= 10;
        }
    }

    private final byte[] b;
    private int at;
    private int userId;
    private int itemId;
    private float rating;
    private long timestamp;

    private PlainRatingScan(byte[] b) {
        this.b = b;
    }

    /** The event, or null when the value is not in the plain form (the full reader decides then). */
    static RatingEvent scan(byte[] value) {
        return new PlainRatingScan(value).read();
    }

    private RatingEvent read() {
        skipSpace();
        if (!take('{')) {
            return null;
        }
        int seen = 0;
        for (int field = 0; field < 4; field++) {
            skipSpace();
            int bit = name();
            if (bit == 0 || (seen & bit) != 0) {
                return null;
            }
            seen |= bit;
            skipSpace();
            if (!take(':')) {
                return null;
            }
            skipSpace();
            boolean ok = switch (bit) {
                case 1 -> (userId = (int) integer(Integer.MAX_VALUE, 10)) >= 0;
                case 2 -> (itemId = (int) integer(Integer.MAX_VALUE, 10)) >= 0;
                case 4 -> rating();
                default -> (timestamp = integer(RatingEvent.MAX_TIMESTAMP, 12)) >= 0;
            };
            if (!ok) {
                return null;
            }
            skipSpace();
            if (!take(field < 3 ? ',' : '}')) {
                return null;
            }
        }
        skipSpace();
        return at == b.length ? new RatingEvent(userId, itemId, rating, timestamp) : null;
    }

    /** The bit of a known field name in quotes, or 0. */
    private int name() {
        if (match("\"userId\"")) {
            return 1;
        }
        if (match("\"itemId\"")) {
            return 2;
        }
        if (match("\"rating\"")) {
            return 4;
        }
        return match("\"timestamp\"") ? 8 : 0;
    }

    /** A non-negative JSON integer of at most {@code maxDigits} digits and at most {@code max}, or -1. */
    private long integer(long max, int maxDigits) {
        int start = at;
        long v = 0;
        while (at < b.length && b[at] >= '0' && b[at] <= '9') {
            v = v * 10 + (b[at++] - '0');
        }
        int digits = at - start;
        if (digits == 0 || digits > maxDigits || (digits > 1 && b[start] == '0') || v > max || fractionOrExponent()) {
            return -1;
        }
        return v;
    }

    /** {@code null} (a delete), or a decimal without sign or exponent of at most 15 digits in [0.5, 5]. */
    private boolean rating() {
        if (match("null")) {
            rating = Float.NaN;
            return true;
        }
        int start = at;
        long m = 0;
        while (at < b.length && b[at] >= '0' && b[at] <= '9') {
            m = m * 10 + (b[at++] - '0');
        }
        int intDigits = at - start;
        if (intDigits == 0 || (intDigits > 1 && b[start] == '0')) {
            return false;
        }
        int fraction = 0;
        if (at < b.length && b[at] == '.') {
            at++;
            while (at < b.length && b[at] >= '0' && b[at] <= '9' && intDigits + fraction < 16) {
                m = m * 10 + (b[at++] - '0');
                fraction++;
            }
            if (fraction == 0) {
                return false;
            }
        }
        if (intDigits + fraction > 15 || fractionOrExponent()) {
            return false;
        }
        double d = m / POW10[fraction];
        if (!(d >= RatingEvent.MIN_RATING && d <= RatingEvent.MAX_RATING)) {
            return false;
        }
        rating = (float) d;
        return true;
    }

    /** Whether a number goes on past where it was read: more digits, a fraction or an exponent. */
    private boolean fractionOrExponent() {
        if (at >= b.length) {
            return false;
        }
        byte c = b[at];
        return c == '.' || c == 'e' || c == 'E' || (c >= '0' && c <= '9');
    }

    private boolean match(String s) {
        if (at + s.length() > b.length) {
            return false;
        }
        for (int k = 0; k < s.length(); k++) {
            if (b[at + k] != s.charAt(k)) {
                return false;
            }
        }
        at += s.length();
        return true;
    }

    private boolean take(char c) {
        if (at < b.length && b[at] == c) {
            at++;
            return true;
        }
        return false;
    }

    private void skipSpace() {
        while (at < b.length && (b[at] == ' ' || b[at] == '\n' || b[at] == '\r' || b[at] == '\t')) {
            at++;
        }
    }
}
