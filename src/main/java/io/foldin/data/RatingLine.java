package io.foldin.data;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/**
 * The full definition of a valid rating line, used for the lines the fast path in
 * {@link RatingChunk} does not accept (rare, so clarity over speed here). A line is valid when it
 * has exactly four fields and
 * <ul>
 *   <li>user and item ids are non-negative decimal ints (digits only, leading zeros allowed),</li>
 *   <li>the rating is a plain decimal ({@code 4}, {@code 3.5}, {@code .5}, {@code 4.}) in [0.5, 5.0]
 *       (a negative one is reported as out of range),</li>
 *   <li>the timestamp is a decimal long, optionally negative.</li>
 * </ul>
 * No spaces are allowed around fields. Blank lines (only spaces, tabs) are neither rows nor errors.
 */
final class RatingLine {
    private static final BigDecimal MIN_RATING = new BigDecimal("0.5");
    private static final BigDecimal MAX_RATING = new BigDecimal("5.0");
    private static final int QUOTE_LIMIT = 40;

    private RatingLine() {
    }

    /**
     * Parses {@code b[from, to)} (without its line terminator). Appends the row to {@code out} and
     * returns null when valid; returns null and appends nothing for a blank line; otherwise returns
     * the reason.
     */
    static String parse(byte[] b, int from, int to, RatingFormat format, RatingChunk out) {
        String line = new String(b, from, to - from, StandardCharsets.UTF_8);
        if (line.isBlank()) {
            return null;
        }
        String sep = format.separator();
        String[] fields = new String[4];
        int count = 0;
        int start = 0;
        while (true) {
            int at = line.indexOf(sep, start);
            String field = at < 0 ? line.substring(start) : line.substring(start, at);
            if (count < 4) {
                fields[count] = field;
            }
            count++;
            if (at < 0) {
                break;
            }
            start = at + sep.length();
        }
        if (count != 4) {
            return "expected 4 fields separated by \"" + printable(sep) + "\", found " + count + ": " + quote(line);
        }
        String problem = checkId(fields[0], "user id");
        if (problem == null) {
            problem = checkId(fields[1], "item id");
        }
        if (problem == null) {
            problem = checkRating(fields[2]);
        }
        if (problem == null) {
            problem = checkTimestamp(fields[3]);
        }
        if (problem != null) {
            return problem;
        }
        out.add(Integer.parseInt(fields[0]), Integer.parseInt(fields[1]), Float.parseFloat(fields[2]),
                Long.parseLong(fields[3]));
        return null;
    }

    private static String checkId(String f, String what) {
        if (f.isEmpty()) {
            return what + " is empty";
        }
        if (!digits(f, 0, f.length())) {
            return what + " " + quote(f) + " is not a non-negative integer";
        }
        try {
            Integer.parseInt(f);
            return null;
        } catch (NumberFormatException e) {
            return what + " " + quote(f) + " is out of int range";
        }
    }

    private static String checkRating(String f) {
        if (f.isEmpty()) {
            return "rating is empty";
        }
        // a negative rating is a number out of range, not "not a number" ("+3" stays malformed: no signs)
        int from = f.charAt(0) == '-' ? 1 : 0;
        int dot = f.indexOf('.', from);
        boolean number = dot < 0
                ? digits(f, from, f.length())
                : f.length() - from > 1 && digitsOrEmpty(f, from, dot) && digitsOrEmpty(f, dot + 1, f.length());
        if (!number) {
            return "rating " + quote(f) + " is not a number";
        }
        BigDecimal v = new BigDecimal(f);
        if (v.compareTo(MIN_RATING) < 0 || v.compareTo(MAX_RATING) > 0) {
            return "rating " + quote(f) + " is outside [0.5, 5.0]";
        }
        return null;
    }

    private static String checkTimestamp(String f) {
        if (f.isEmpty()) {
            return "timestamp is empty";
        }
        int from = f.charAt(0) == '-' ? 1 : 0;
        if (from == f.length() || !digits(f, from, f.length())) {
            return "timestamp " + quote(f) + " is not an integer";
        }
        try {
            Long.parseLong(f);
            return null;
        } catch (NumberFormatException e) {
            return "timestamp " + quote(f) + " is out of long range";
        }
    }

    private static boolean digits(String s, int from, int to) {
        return from < to && digitsOrEmpty(s, from, to);
    }

    private static boolean digitsOrEmpty(String s, int from, int to) {
        for (int k = from; k < to; k++) {
            char c = s.charAt(k);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** {@code "text"}, cut to {@value #QUOTE_LIMIT} characters, control characters made visible. */
    static String quote(String s) {
        String cut = s.length() > QUOTE_LIMIT ? s.substring(0, QUOTE_LIMIT) + "..." : s;
        return "\"" + printable(cut) + "\"";
    }

    private static String printable(String s) {
        return s.replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n");
    }
}
