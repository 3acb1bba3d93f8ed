package io.foldin.data;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Compact binary rating file ({@code ratings.bin}), the fast twin of a MovieLens {@code ratings.csv}:
 * the same rows, in the same order, with the same external ids.
 *
 * <p>Layout, all little-endian:
 * <pre>
 *  0  8 B  magic "FOLDINRB"
 *  8  int  version (1)
 * 12  int  flags: bit 0 ratings as uint8 half-steps (rating = b / 2), else float32;
 *                 bit 1 timestamps as uint32 seconds after tBase, else int64
 * 16  long n, the number of rows
 * 24  int  distinct users, int distinct items (sizing hints for the reader; 0 = unknown)
 * 32  long tBase (0 unless bit 1)
 * 40  8 B  reserved (0)
 * 48  userId int32[n] | itemId int32[n] | rating uint8[n] or float32[n] | time uint32[n] or int64[n]
 * </pre>
 * Columns rather than rows so that each is one sequential run; the writer picks the narrow
 * encodings whenever every value fits them exactly (half-star ratings, a time span under 2^32 s),
 * which takes MovieLens from 20 to 13 bytes a row. Both sides stream through 1 M-row chunks, so
 * neither needs the whole file in memory besides the {@link RatingLog} itself.
 */
public final class RatingsBinary {
    public static final int VERSION = 1;
    static final int HEADER_BYTES = 48;
    static final int FLAG_HALF_STEPS = 1;
    static final int FLAG_TIME_OFFSETS = 2;
    private static final long MAGIC = 0x4252_4E49_444C_4F46L; // "FOLDINRB" read little-endian
    private static final int CHUNK = 1 << 20;

    private RatingsBinary() {
    }

    /** The rows to write, by position; external ids, as in a CSV file. */
    public interface Columns {
        int size();

        int userId(int k);

        int itemId(int k);

        float rating(int k);

        long time(int k);

        /** Number of distinct users, only a sizing hint for readers; 0 when unknown. */
        default int distinctUsers() {
            return 0;
        }

        default int distinctItems() {
            return 0;
        }
    }

    /** Receives rows in file order. */
    @FunctionalInterface
    public interface RowConsumer {
        void accept(int userId, int itemId, float rating, long time);
    }

    /** The header fields a reader needs before the rows. */
    public record Header(int flags, long rows, int distinctUsers, int distinctItems, long timeBase) {
    }

    /** A view of {@code log} that maps its dense indices back to external ids. */
    public static Columns columnsOf(RatingLog log) {
        IdIndex users = log.users();
        IdIndex items = log.items();
        return new Columns() {
            @Override
            public int size() {
                return log.size();
            }

            @Override
            public int userId(int k) {
                return users.idOf(log.user(k));
            }

            @Override
            public int itemId(int k) {
                return items.idOf(log.item(k));
            }

            @Override
            public float rating(int k) {
                return log.rating(k);
            }

            @Override
            public long time(int k) {
                return log.time(k);
            }

            @Override
            public int distinctUsers() {
                return users.size();
            }

            @Override
            public int distinctItems() {
                return items.size();
            }
        };
    }

    public static void write(Path path, RatingLog log) throws IOException {
        write(path, columnsOf(log));
    }

    public static void write(Path path, Columns c) throws IOException {
        int n = c.size();
        boolean halfSteps = true;
        long tMin = Long.MAX_VALUE;
        long tMax = Long.MIN_VALUE;
        for (int k = 0; k < n; k++) {
            float r = c.rating(k);
            float twice = r * 2f;
            // exact test: the byte must decode to the very same float
            halfSteps &= twice >= 0f && twice <= 255f && twice == (int) twice;
            long t = c.time(k);
            tMin = Math.min(tMin, t);
            tMax = Math.max(tMax, t);
        }
        boolean offsets = n > 0 && tMax - tMin >= 0 && tMax - tMin <= 0xFFFF_FFFFL;
        int flags = (halfSteps ? FLAG_HALF_STEPS : 0) | (offsets ? FLAG_TIME_OFFSETS : 0);
        long base = offsets ? tMin : 0;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(8 * CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            buf.putLong(MAGIC).putInt(VERSION).putInt(flags).putLong(n)
                    .putInt(Math.max(0, c.distinctUsers())).putInt(Math.max(0, c.distinctItems()))
                    .putLong(base).putLong(0L);
            for (int k = 0; k < n; k++) {
                buf = room(ch, buf, 4).putInt(c.userId(k));
            }
            for (int k = 0; k < n; k++) {
                buf = room(ch, buf, 4).putInt(c.itemId(k));
            }
            for (int k = 0; k < n; k++) {
                if (halfSteps) {
                    room(ch, buf, 1).put((byte) (int) (c.rating(k) * 2f));
                } else {
                    room(ch, buf, 4).putFloat(c.rating(k));
                }
            }
            for (int k = 0; k < n; k++) {
                if (offsets) {
                    room(ch, buf, 4).putInt((int) (c.time(k) - base));
                } else {
                    room(ch, buf, 8).putLong(c.time(k));
                }
            }
            drain(ch, buf);
        }
    }

    /** Reads the whole file into a new log (dense ids in order of first appearance, as a CSV load). */
    public static RatingLog read(Path path) throws IOException {
        Header h = header(path);
        return read(path, new IdIndex(Math.max(1024, h.distinctUsers())),
                new IdIndex(Math.max(1024, h.distinctItems())));
    }

    /** Reads the whole file into a new log over the given id indexes (e.g. a training set's). */
    public static RatingLog read(Path path, IdIndex users, IdIndex items) throws IOException {
        Header h = header(path);
        RatingLog log = new RatingLog(users, items, (int) h.rows());
        scan(path, log::add);
        return log;
    }

    public static Header header(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            return header(ch, path);
        }
    }

    /** Streams every row to {@code sink} in file order, without building a log. */
    public static void scan(Path path, RowConsumer sink) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            Header h = header(ch, path);
            boolean halfSteps = (h.flags() & FLAG_HALF_STEPS) != 0;
            boolean offsets = (h.flags() & FLAG_TIME_OFFSETS) != 0;
            long n = h.rows();
            int rw = halfSteps ? 1 : 4;
            int tw = offsets ? 4 : 8;
            long userAt = HEADER_BYTES;
            long itemAt = userAt + 4 * n;
            long ratingAt = itemAt + 4 * n;
            long timeAt = ratingAt + rw * n;
            ByteBuffer ub = ByteBuffer.allocateDirect(4 * CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer ib = ByteBuffer.allocateDirect(4 * CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer rb = ByteBuffer.allocateDirect(rw * CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer tb = ByteBuffer.allocateDirect(tw * CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            for (long done = 0; done < n; ) {
                int m = (int) Math.min(CHUNK, n - done);
                fill(ch, ub, userAt + 4 * done, 4 * m);
                fill(ch, ib, itemAt + 4 * done, 4 * m);
                fill(ch, rb, ratingAt + rw * done, rw * m);
                fill(ch, tb, timeAt + tw * done, tw * m);
                for (int j = 0; j < m; j++) {
                    float r = halfSteps ? (rb.get() & 0xFF) * 0.5f : rb.getFloat();
                    long t = offsets ? h.timeBase() + (tb.getInt() & 0xFFFF_FFFFL) : tb.getLong();
                    sink.accept(ub.getInt(), ib.getInt(), r, t);
                }
                done += m;
            }
        }
    }

    private static Header header(FileChannel ch, Path path) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        if (ch.size() < HEADER_BYTES) {
            throw new IOException(path + ": too short for a ratings.bin header");
        }
        fill(ch, b, 0, HEADER_BYTES);
        if (b.getLong() != MAGIC) {
            throw new IOException(path + ": not a foldin ratings.bin file (bad magic)");
        }
        int version = b.getInt();
        if (version != VERSION) {
            throw new IOException(path + ": ratings.bin version " + version + ", this reader knows " + VERSION);
        }
        int flags = b.getInt();
        long n = b.getLong();
        int users = b.getInt();
        int items = b.getInt();
        long base = b.getLong();
        if ((flags & ~(FLAG_HALF_STEPS | FLAG_TIME_OFFSETS)) != 0 || n < 0 || n > Integer.MAX_VALUE - 16) {
            throw new IOException(path + ": corrupt ratings.bin header (flags " + flags + ", rows " + n + ")");
        }
        long rowBytes = 8 + ((flags & FLAG_HALF_STEPS) != 0 ? 1 : 4) + ((flags & FLAG_TIME_OFFSETS) != 0 ? 4 : 8);
        long expected = HEADER_BYTES + rowBytes * n;
        if (ch.size() != expected) {
            throw new IOException(path + ": " + ch.size() + " bytes, header says " + expected + " (truncated?)");
        }
        return new Header(flags, n, users, items, base);
    }

    /** Reads exactly {@code len} bytes at {@code pos} into {@code b}, leaving it flipped for reading. */
    private static void fill(FileChannel ch, ByteBuffer b, long pos, int len) throws IOException {
        b.clear().limit(len);
        while (b.hasRemaining()) {
            int got = ch.read(b, pos + b.position());
            if (got < 0) {
                throw new EOFException("ratings.bin ends early at byte " + (pos + b.position()));
            }
        }
        b.flip();
    }

    private static ByteBuffer room(FileChannel ch, ByteBuffer b, int bytes) throws IOException {
        if (b.remaining() < bytes) {
            drain(ch, b);
        }
        return b;
    }

    private static void drain(FileChannel ch, ByteBuffer b) throws IOException {
        b.flip();
        while (b.hasRemaining()) {
            ch.write(b);
        }
        b.clear();
    }
}
