package io.foldin.data;

import java.util.Arrays;

/**
 * A line-aligned block of a rating file and the rows parsed from it. {@link RatingsReader} fills
 * {@code bytes[from, to)}, a parser thread calls {@link #parse}, the reader appends the rows to the
 * log in file order. Chunks are pooled, so the buffers and columns are reused block after block.
 *
 * <p>Parsing has two paths. The fast one walks the bytes once and accepts only well-formed lines
 * with short numbers (no String, no allocation). Anything it does not accept goes to
 * {@link RatingLine#parse}, which is the full definition of a valid line: it either accepts the line
 * too (a 19-digit timestamp, a rating with many decimals) or names what is wrong.
 */
final class RatingChunk {
    private static final int[] POW10 = {1, 10, 100, 1000, 10000};

    byte[] bytes;
    int from;
    int to;

    int[] users;
    int[] items;
    float[] ratings;
    long[] times;
    int rows;
    /** Lines in {@code [from, to)}, blank and malformed ones included; a last line without '\n' counts. */
    int lines;
    /** Lines before {@code from} that the reader consumed (a header and blank lines before it). */
    int headerLines;
    int skipped;
    /** Lines the fast path handed to {@link RatingLine}, so tests can check ordinary lines stay fast. */
    int slowLines;
    /** Line numbers (1-based, relative to this chunk) and reasons of the first skipped lines. */
    final int[] problemLines = new int[ReadResult.MAX_PROBLEMS];
    final String[] problems = new String[ReadResult.MAX_PROBLEMS];

    RatingChunk(int blockBytes) {
        bytes = new byte[blockBytes];
        int cap = blockBytes / 16;
        users = new int[cap];
        items = new int[cap];
        ratings = new float[cap];
        times = new long[cap];
    }

    /**
     * Parses {@code bytes[from, to)} in {@code format} (not AUTO). In strict mode parsing stops at the
     * first malformed line, which is then {@code problems[0]}, and the rows before it are kept.
     */
    void parse(RatingFormat format, boolean strict) {
        rows = 0;
        lines = 0;
        skipped = 0;
        slowLines = 0;
        final byte[] b = bytes;
        final int end = to;
        final byte sep = (byte) format.separator().charAt(0);
        final int sepLen = format.separator().length();
        int p = from;
        while (p < end) {
            lines++;
            if (rows == users.length) {
                grow();
            }
            int q = p;
            // user id: 1-10 digits, at most Integer.MAX_VALUE
            long user = 0;
            int start = q;
            while (q < end && b[q] >= '0' && b[q] <= '9') {
                user = user * 10 + (b[q++] - '0');
                if (q - start > 10) {
                    break;
                }
            }
            boolean ok = q > start && q - start <= 10 && user <= Integer.MAX_VALUE && isSep(b, q, end, sep, sepLen);
            q += sepLen;
            long item = 0;
            if (ok) {
                start = q;
                while (q < end && b[q] >= '0' && b[q] <= '9') {
                    item = item * 10 + (b[q++] - '0');
                    if (q - start > 10) {
                        break;
                    }
                }
                ok = q > start && q - start <= 10 && item <= Integer.MAX_VALUE && isSep(b, q, end, sep, sepLen);
                q += sepLen;
            }
            // rating: digits [. digits], up to 9 digits and 4 decimals, in [0.5, 5] exactly
            long mantissa = 0;
            int scale = 0;
            if (ok) {
                int digits = 0;
                while (q < end && b[q] >= '0' && b[q] <= '9' && digits < 10) {
                    mantissa = mantissa * 10 + (b[q++] - '0');
                    digits++;
                }
                if (q < end && b[q] == '.') {
                    q++;
                    while (q < end && b[q] >= '0' && b[q] <= '9' && digits < 10) {
                        mantissa = mantissa * 10 + (b[q++] - '0');
                        digits++;
                        scale++;
                    }
                }
                ok = digits > 0 && digits <= 9 && scale <= 4
                        && 2 * mantissa >= POW10[scale] && mantissa <= 5L * POW10[scale]
                        && isSep(b, q, end, sep, sepLen);
                q += sepLen;
            }
            // timestamp: optional '-', 1-18 digits (cannot overflow), then end of line
            long time = 0;
            if (ok) {
                boolean negative = q < end && b[q] == '-';
                if (negative) {
                    q++;
                }
                start = q;
                while (q < end && b[q] >= '0' && b[q] <= '9' && q - start < 19) {
                    time = time * 10 + (b[q++] - '0');
                }
                ok = q > start && q - start <= 18;
                time = negative ? -time : time;
                if (ok && q < end && b[q] == '\r') {
                    q++;
                }
                ok &= q == end || b[q] == '\n';
            }
            if (ok) {
                users[rows] = (int) user;
                items[rows] = (int) item;
                // exact for these short decimals: see RatingChunkTest's exhaustive check against Float.parseFloat
                ratings[rows] = (float) ((double) mantissa / POW10[scale]);
                times[rows] = time;
                rows++;
                p = q + 1;
                continue;
            }
            int nl = p;
            while (nl < end && b[nl] != '\n') {
                nl++;
            }
            int e = nl > p && b[nl - 1] == '\r' ? nl - 1 : nl;
            slowLines++;
            String reason = RatingLine.parse(b, p, e, format, this);
            if (reason != null) {
                if (skipped < problems.length) {
                    problemLines[skipped] = lines;
                    problems[skipped] = reason;
                }
                skipped++;
                if (strict) {
                    return;
                }
            }
            p = nl + 1;
        }
    }

    /** Appends a row the slow path accepted. */
    void add(int user, int item, float rating, long time) {
        if (rows == users.length) {
            grow();
        }
        users[rows] = user;
        items[rows] = item;
        ratings[rows] = rating;
        times[rows] = time;
        rows++;
    }

    private static boolean isSep(byte[] b, int q, int end, byte sep, int sepLen) {
        return q + sepLen <= end && b[q] == sep && (sepLen == 1 || b[q + 1] == sep);
    }

    private void grow() {
        int cap = users.length * 2 + 16;
        users = Arrays.copyOf(users, cap);
        items = Arrays.copyOf(items, cap);
        ratings = Arrays.copyOf(ratings, cap);
        times = Arrays.copyOf(times, cap);
    }
}
