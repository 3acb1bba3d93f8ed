package io.foldin.stream.sweep;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The records of a gathered sweep (docs/design.md §2.9), one binary layout each, big-endian, the first byte
 * naming the kind. Control records ride the single partition of {@code sweep-control}; ratings ride
 * {@code sweep-data}, in the partition of the user partition they come from; results ride
 * {@code sweep-results}. Every record carries the epoch of the sweep it belongs to, so a late record of an
 * abandoned sweep is told apart from the current one.
 */
public final class SweepWire {
    /** Ratings per data record: 12 B each, so a record stays near 390 KB, under Kafka's 1 MB default. */
    public static final int RATINGS_PER_RECORD = 32 * 1024;
    /** Result bytes per record, under Kafka's 1 MB default message size. */
    public static final int RESULT_BYTES_PER_RECORD = 512 * 1024;

    private SweepWire() {
    }

    /** One record of the protocol. */
    public sealed interface Message permits Start, Abort, Heartbeat, Request, Ratings, DataEnd, Users, Items, ResultEnd {
        int epoch();
    }

    /** The leader reserves {@code epoch} and asks every instance for its ratings. */
    public record Start(int epoch, int iterations, boolean warm, String leader) implements Message {
    }

    /** The sweep of {@code epoch} is abandoned; every instance lets its user side go on. */
    public record Abort(int epoch, String from, String reason) implements Message {
    }

    /** The leader is still computing {@code epoch}. */
    public record Heartbeat(int epoch) implements Message {
    }

    /** An instance that cannot lead asks the leader for a sweep ({@code epoch} unused, 0). */
    public record Request(int epoch, int iterations, boolean warm, boolean recovery, String from) implements Message {
    }

    /** Ratings of one user partition: {@code n} triples (user int32, item int32, rating float32) in {@code body}. */
    public record Ratings(int epoch, int partition, String source, int n, ByteBuffer body) implements Message {
    }

    /** All {@code count} ratings of user partition {@code partition} have been sent by {@code source}. */
    public record DataEnd(int epoch, int partition, String source, long count) implements Message {
    }

    /** New user factors: {@code n} entries (user int32, [U; b] float32 × (D+1)). */
    public record Users(int epoch, int n, ByteBuffer body) implements Message {
    }

    /**
     * Swept items: {@code n} entries (item int32, count int64, [V; b] float32 × (D+1), packed G float32 ×
     * (D+1)(D+2)/2, h float32 × (D+1)).
     */
    public record Items(int epoch, int n, ByteBuffer body) implements Message {
    }

    /** The last result record: {@code records} result records in all (this one excluded) and the new epoch. */
    public record ResultEnd(int epoch, int records, String leader, byte[] modelEpoch) implements Message {
    }

    private static final byte START = 1;
    private static final byte ABORT = 2;
    private static final byte HEARTBEAT = 3;
    private static final byte REQUEST = 4;
    private static final byte RATINGS = 10;
    private static final byte DATA_END = 11;
    private static final byte USERS = 20;
    private static final byte ITEMS = 21;
    private static final byte RESULT_END = 22;

    public static byte[] encode(Message m) {
        ByteBuffer b;
        if (m instanceof Start s) {
            byte[] l = utf8(s.leader());
            b = ByteBuffer.allocate(1 + 4 + 4 + 1 + 4 + l.length).put(START).putInt(s.epoch()).putInt(s.iterations())
                    .put((byte) (s.warm() ? 1 : 0));
            putBytes(b, l);
        } else if (m instanceof Abort a) {
            byte[] f = utf8(a.from());
            byte[] r = utf8(a.reason());
            b = ByteBuffer.allocate(1 + 4 + 8 + f.length + r.length).put(ABORT).putInt(a.epoch());
            putBytes(b, f);
            putBytes(b, r);
        } else if (m instanceof Heartbeat h) {
            b = ByteBuffer.allocate(5).put(HEARTBEAT).putInt(h.epoch());
        } else if (m instanceof Request r) {
            byte[] f = utf8(r.from());
            b = ByteBuffer.allocate(1 + 4 + 4 + 2 + 4 + f.length).put(REQUEST).putInt(r.epoch())
                    .putInt(r.iterations()).put((byte) (r.warm() ? 1 : 0)).put((byte) (r.recovery() ? 1 : 0));
            putBytes(b, f);
        } else if (m instanceof Ratings r) {
            byte[] s = utf8(r.source());
            ByteBuffer body = r.body().duplicate();
            b = ByteBuffer.allocate(1 + 4 + 4 + 4 + s.length + 4 + body.remaining()).put(RATINGS).putInt(r.epoch())
                    .putInt(r.partition());
            putBytes(b, s);
            b.putInt(r.n()).put(body);
        } else if (m instanceof DataEnd e) {
            byte[] s = utf8(e.source());
            b = ByteBuffer.allocate(1 + 4 + 4 + 4 + s.length + 8).put(DATA_END).putInt(e.epoch()).putInt(e.partition());
            putBytes(b, s);
            b.putLong(e.count());
        } else if (m instanceof Users u) {
            ByteBuffer body = u.body().duplicate();
            b = ByteBuffer.allocate(1 + 8 + body.remaining()).put(USERS).putInt(u.epoch()).putInt(u.n()).put(body);
        } else if (m instanceof Items i) {
            ByteBuffer body = i.body().duplicate();
            b = ByteBuffer.allocate(1 + 8 + body.remaining()).put(ITEMS).putInt(i.epoch()).putInt(i.n()).put(body);
        } else {
            ResultEnd e = (ResultEnd) m;
            byte[] l = utf8(e.leader());
            b = ByteBuffer.allocate(1 + 8 + 4 + l.length + 4 + e.modelEpoch().length).put(RESULT_END)
                    .putInt(e.epoch()).putInt(e.records());
            putBytes(b, l);
            putBytes(b, e.modelEpoch());
        }
        return b.array();
    }

    /** The message, or null for a record of a kind this version does not know (a newer peer's). */
    public static Message decode(byte[] value) {
        ByteBuffer b = ByteBuffer.wrap(value);
        byte kind = b.get();
        int epoch = b.getInt();
        return switch (kind) {
            case START -> new Start(epoch, b.getInt(), b.get() != 0, string(b));
            case ABORT -> new Abort(epoch, string(b), string(b));
            case HEARTBEAT -> new Heartbeat(epoch);
            case REQUEST -> new Request(epoch, b.getInt(), b.get() != 0, b.get() != 0, string(b));
            case RATINGS -> new Ratings(epoch, b.getInt(), string(b), b.getInt(), b.slice());
            case DATA_END -> new DataEnd(epoch, b.getInt(), string(b), b.getLong());
            case USERS -> new Users(epoch, b.getInt(), b.slice());
            case ITEMS -> new Items(epoch, b.getInt(), b.slice());
            case RESULT_END -> new ResultEnd(epoch, b.getInt(), string(b), bytes(b));
            default -> null;
        };
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void putBytes(ByteBuffer b, byte[] bytes) {
        b.putInt(bytes.length).put(bytes);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.getInt()];
        b.get(out);
        return out;
    }

    private static String string(ByteBuffer b) {
        return new String(bytes(b), StandardCharsets.UTF_8);
    }
}
