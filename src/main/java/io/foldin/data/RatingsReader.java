package io.foldin.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads MovieLens rating files into a {@link RatingLog}, in file order.
 *
 * <p>Formats ({@link RatingFormat}): {@code ratings.csv} ({@code userId,movieId,rating,timestamp}),
 * ml-1m/ml-10m {@code ratings.dat} ({@code UserID::MovieID::Rating::Timestamp}) and ml-100k
 * {@code u.data} (tab-separated). With {@link RatingFormat#AUTO} the first non-blank line decides.
 * That line is a header, and skipped, when it starts with an ASCII letter or a quote. A UTF-8 byte
 * order mark, CRLF line ends, a missing final newline and gzip input (recognised by its magic bytes) are all
 * fine. Blank lines are ignored. Valid lines are defined in {@link RatingLine}; a duplicate
 * (user, item) pair is not malformed, both rows are kept.
 *
 * <p>How: the calling thread reads 4 MiB blocks, cuts each after its last newline, and hands it to
 * a parser thread; it appends the parsed chunks to the log strictly in file order, so the log (ids,
 * dense indices, row order) is the same for any thread count. Parsing works on the bytes, without a
 * String per line. Line numbers for messages are resolved at append time from each chunk's line
 * count, so a strict read reports the first malformed line of the file, as a sequential read would.
 */
public final class RatingsReader {
    static final int BLOCK = 1 << 22;
    /** Lines longer than this are not a rating file; refuse instead of buffering without bound. */
    private static final int MAX_BLOCK = 1 << 28;

    private RatingsReader() {
    }

    /** Reads {@code file} with {@link ReadOptions#defaults()} into a new log. */
    public static RatingLog load(Path file) throws IOException {
        return read(file, ReadOptions.defaults()).log();
    }

    /** Reads {@code file} into a new log, sized from a sample of the file's line lengths. */
    public static ReadResult read(Path file, ReadOptions options) throws IOException {
        long t0 = System.nanoTime();
        long lines = Inputs.estimateLines(file);
        // 2% slack: an estimate just short of the truth would make the log grow by half at the very end
        long expected = lines < 0 ? 1 << 16 : lines + lines / 50 + 16;
        RatingLog log = new RatingLog((int) Math.min(expected, Integer.MAX_VALUE - 16));
        try (InputStream in = Inputs.open(file)) {
            return new Run(in, file.toString(), log, options, BLOCK).read(t0);
        }
    }

    /**
     * Appends the ratings of {@code file} to {@code into}. Give {@code into} the id indexes of another
     * log (see {@link RatingLog#RatingLog(IdIndex, IdIndex, int)}) to map a test file onto training
     * indices. In strict mode a malformed line throws {@link DataFormatException} and {@code into}
     * keeps some of the rows read before it.
     */
    public static ReadResult read(Path file, RatingLog into, ReadOptions options) throws IOException {
        long t0 = System.nanoTime();
        try (InputStream in = Inputs.open(file)) {
            return new Run(in, file.toString(), into, options, BLOCK).read(t0);
        }
    }

    /**
     * Appends the ratings in {@code in} (gzip or not) to {@code into}; {@code source} names it in
     * messages. Does not close {@code in}.
     */
    public static ReadResult read(InputStream in, String source, RatingLog into, ReadOptions options)
            throws IOException {
        return read(Inputs.decompressed(in), source, into, options, BLOCK);
    }

    /** As above with a given block size, so tests can cross many block boundaries with little data. */
    static ReadResult read(InputStream in, String source, RatingLog into, ReadOptions options, int blockBytes)
            throws IOException {
        return new Run(in, source, into, options, blockBytes).read(System.nanoTime());
    }

    /** The state of one read: the chunk pool, the chunks being parsed, the append position. */
    private static final class Run {
        private final InputStream in;
        private final String source;
        private final RatingLog log;
        private final boolean strict;
        private final ExecutorService pool;
        private final ArrayDeque<RatingChunk> free = new ArrayDeque<>();
        private final ArrayDeque<Future<RatingChunk>> parsing = new ArrayDeque<>();
        private final List<String> problems = new ArrayList<>();
        private RatingFormat format;
        private boolean sniffed;
        private long linesBefore;
        private long rows;
        private long skipped;
        private int lastUserId = -1;
        private int lastUser = -1;

        Run(InputStream in, String source, RatingLog log, ReadOptions options, int blockBytes) {
            this.in = in;
            this.source = source;
            this.log = log;
            this.strict = options.malformed() == Malformed.STRICT;
            this.format = options.format();
            this.sniffed = format != RatingFormat.AUTO;
            int threads = options.threads();
            this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "ratings-parser");
                t.setDaemon(true);
                return t;
            });
            // two chunks per parser keep them busy while the reader thread reads and appends
            int chunks = threads == 1 ? 2 : 2 * threads + 2;
            for (int k = 0; k < chunks; k++) {
                free.add(new RatingChunk(blockBytes));
            }
        }

        ReadResult read(long t0) throws IOException {
            try {
                RatingChunk cur = free.poll();
                int len = 0;
                boolean first = true;
                boolean eof = false;
                while (!eof) {
                    if (len == cur.bytes.length) {
                        if (cur.bytes.length >= MAX_BLOCK) {
                            drain();
                            throw new DataFormatException(source, linesBefore + 1,
                                    "line longer than " + (MAX_BLOCK >> 20) + " MiB");
                        }
                        cur.bytes = Arrays.copyOf(cur.bytes, cur.bytes.length * 2);
                    }
                    int want = cur.bytes.length - len;
                    int n = in.readNBytes(cur.bytes, len, want);
                    len += n;
                    eof = n < want;
                    int cut = eof ? len : lastNewline(cur.bytes, len) + 1;
                    if (cut == 0) {
                        continue;
                    }
                    cur.from = 0;
                    cur.to = cut;
                    cur.headerLines = 0;
                    if (first) {
                        cur.from = skipBom(cur.bytes, cut);
                        first = false;
                    }
                    if (!sniffed) {
                        sniff(cur);
                    }
                    RatingChunk next = null;
                    if (!eof) {
                        next = acquire();
                        len -= cut;
                        if (next.bytes.length < 2 * len) {
                            next.bytes = new byte[2 * len];
                        }
                        System.arraycopy(cur.bytes, cut, next.bytes, 0, len);
                    }
                    submit(cur);
                    cur = next;
                }
                drain();
            } finally {
                if (pool != null) {
                    pool.shutdownNow();
                }
            }
            RatingFormat used = format == RatingFormat.AUTO ? RatingFormat.CSV : format;
            return new ReadResult(log, source, used, rows, skipped, problems, (System.nanoTime() - t0) / 1e9);
        }

        /**
         * Finds the first non-blank line of the file in {@code c}: it fixes the format and, when it
         * starts with a letter, is a header to skip. A chunk of blank lines only leaves both open.
         */
        private void sniff(RatingChunk c) {
            byte[] b = c.bytes;
            int p = c.from;
            while (p < c.to) {
                int nl = p;
                while (nl < c.to && b[nl] != '\n') {
                    nl++;
                }
                int q = p;
                while (q < nl && (b[q] == ' ' || b[q] == '\t' || b[q] == '\r')) {
                    q++;
                }
                if (q < nl) {
                    if (format == RatingFormat.AUTO) {
                        format = RatingFormat.sniff(b, p, nl, source);
                    }
                    sniffed = true;
                    boolean header = b[q] == '"' || (b[q] | 0x20) >= 'a' && (b[q] | 0x20) <= 'z';
                    if (header) {
                        // the parser never sees the header and the blank lines before it: count them here
                        for (int k = c.from; k < nl; k++) {
                            c.headerLines += b[k] == '\n' ? 1 : 0;
                        }
                        c.headerLines++;
                        c.from = Math.min(nl + 1, c.to);
                    }
                    return;
                }
                p = nl + 1;
            }
        }

        private RatingChunk acquire() throws IOException {
            while (free.isEmpty()) {
                append(take());
            }
            return free.poll();
        }

        private void submit(RatingChunk c) throws IOException {
            RatingFormat f = format == RatingFormat.AUTO ? RatingFormat.CSV : format;
            if (pool == null) {
                c.parse(f, strict);
                append(c);
            } else {
                parsing.add(pool.submit(() -> {
                    c.parse(f, strict);
                    return c;
                }));
            }
        }

        private void drain() throws IOException {
            while (!parsing.isEmpty()) {
                append(take());
            }
        }

        private RatingChunk take() throws IOException {
            try {
                return parsing.poll().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while reading " + source, e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IOException(cause);
            }
        }

        /** Appends a parsed chunk to the log; the next chunk in file order must be this one. */
        private void append(RatingChunk c) {
            IdIndex users = log.users();
            IdIndex items = log.items();
            for (int k = 0; k < c.rows; k++) {
                // files are usually grouped by user: skip the hash lookup for a repeated user
                int userId = c.users[k];
                if (userId != lastUserId || lastUser < 0) {
                    lastUser = users.add(userId);
                    lastUserId = userId;
                }
                log.addIndexed(lastUser, items.add(c.items[k]), c.ratings[k], c.times[k]);
            }
            rows += c.rows;
            linesBefore += c.headerLines;
            if (c.skipped > 0) {
                if (strict) {
                    throw new DataFormatException(source, linesBefore + c.problemLines[0], c.problems[0]);
                }
                int kept = Math.min(c.skipped, c.problems.length);
                for (int k = 0; k < kept && problems.size() < ReadResult.MAX_PROBLEMS; k++) {
                    problems.add(source + ":" + (linesBefore + c.problemLines[k]) + ": " + c.problems[k]);
                }
                skipped += c.skipped;
            }
            linesBefore += c.lines;
            free.add(c);
        }

        private static int lastNewline(byte[] b, int len) {
            for (int p = len - 1; p >= 0; p--) {
                if (b[p] == '\n') {
                    return p;
                }
            }
            return -1;
        }

        private static int skipBom(byte[] b, int len) {
            boolean bom = len >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF;
            return bom ? 3 : 0;
        }
    }
}
