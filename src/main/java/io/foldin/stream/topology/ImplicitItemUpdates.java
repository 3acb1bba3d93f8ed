package io.foldin.stream.topology;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * Value of a record on {@code implicit-item-updates} (docs/design.md §1.9): the pair-weight changes one implicit
 * user task published to one item partition, each with the user's new vector. The key is the item partition
 * (int32, {@link ItemUpdateBundle#partitionOf}, as {@code item-updates}). Binary:
 * <pre>
 * count:int32, count × (item:int32, timestamp:int64, user:int32, before:float32, after:float32, epoch:int32,
 *                       x:float32[D])
 * </pre>
 * {@code before} and {@code after} are the pair's weights (interaction weights plus 1 while the latest rating is at
 * or above the threshold) around the publish interval; x is {@code x_u} solved at that publication. The item
 * side needs nothing else: {@code S_i += α (after − before) x xᵀ}, {@code h_i += (α (after − before) + [after &gt;
 * 0] − [before &gt; 0]) x} ({@link io.foldin.model.ImplicitStats}).
 */
final class ImplicitItemUpdates {
    static final int HEADER_BYTES = 4;
    /** Half a batch of the Streams producer, as {@link ItemUpdateBundle#MAX_BYTES}. */
    static final int MAX_BYTES = 128 * 1024;

    private ImplicitItemUpdates() {
    }

    static int entryBytes(int d) {
        return 28 + 4 * d;
    }

    interface Sender {
        void send(int partition, byte[] bundle, long newestTimestamp);
    }

    /** One bundle per item partition, filled during a publication and sent at its end (or when full). */
    static final class Buffers {
        private final int d;
        private final int entryBytes;
        private final ByteBuffer[] bundles;
        private final long[] newest;
        private final Sender sender;

        Buffers(int d, int partitions, Sender sender) {
            this.d = d;
            this.entryBytes = entryBytes(d);
            if (HEADER_BYTES + entryBytes > MAX_BYTES) {
                throw new IllegalArgumentException("an implicit item update of D=" + d + " does not fit a bundle");
            }
            this.bundles = new ByteBuffer[partitions];
            this.newest = new long[partitions];
            this.sender = sender;
        }

        void add(int item, long timestamp, int user, float before, float after, int epoch, float[] x) {
            int p = ItemUpdateBundle.partitionOf(item, bundles.length);
            ByteBuffer b = bundles[p];
            if (b == null) {
                b = bundles[p] = ByteBuffer.allocate(MAX_BYTES);
                b.position(HEADER_BYTES);
            } else if (b.remaining() < entryBytes) {
                send(p);
            }
            if (b.position() == HEADER_BYTES) {
                newest[p] = timestamp;
            }
            b.putInt(item).putLong(timestamp).putInt(user).putFloat(before).putFloat(after).putInt(epoch);
            for (int a = 0; a < d; a++) {
                b.putFloat(x[a]);
            }
            newest[p] = Math.max(newest[p], timestamp);
        }

        void sendAll() {
            for (int p = 0; p < bundles.length; p++) {
                if (bundles[p] != null && bundles[p].position() > HEADER_BYTES) {
                    send(p);
                }
            }
        }

        private void send(int p) {
            ByteBuffer b = bundles[p];
            byte[] value = java.util.Arrays.copyOf(b.array(), b.position());
            ByteBuffer.wrap(value).putInt((b.position() - HEADER_BYTES) / entryBytes);
            b.position(HEADER_BYTES);
            sender.send(p, value, newest[p]);
        }
    }

    /** The entries of one bundle, one after the other. */
    static final class Reader {
        private final int d;
        private ByteBuffer b;
        private int left;
        int item;
        long timestamp;
        int user;
        float before;
        float after;
        int epoch;

        Reader(int d) {
            this.d = d;
        }

        /** Throws if the length does not match the count for this D (a producer with another implicit.factors). */
        Reader of(byte[] bundle) {
            int count = bundle == null || bundle.length < HEADER_BYTES ? -1 : ByteBuffer.wrap(bundle).getInt();
            if (count < 0 || bundle.length != HEADER_BYTES + (long) count * entryBytes(d)) {
                throw new IllegalArgumentException("implicit item-update bundle of "
                        + (bundle == null ? 0 : bundle.length) + " bytes does not hold " + count + " updates of D=" + d);
            }
            b = ByteBuffer.wrap(bundle, HEADER_BYTES, bundle.length - HEADER_BYTES);
            left = count;
            return this;
        }

        boolean next(float[] x) {
            if (left == 0) {
                return false;
            }
            left--;
            item = b.getInt();
            timestamp = b.getLong();
            user = b.getInt();
            before = b.getFloat();
            after = b.getFloat();
            epoch = b.getInt();
            for (int a = 0; a < d; a++) {
                x[a] = b.getFloat();
            }
            return true;
        }
    }

    /** A bundle of one update (tests). */
    static byte[] of(int d, int item, long timestamp, int user, float before, float after, int epoch, float[] x) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Buffers b = new Buffers(d, 1, (p, bundle, ts) -> out.writeBytes(bundle));
        b.add(item, timestamp, user, before, after, epoch, x);
        b.sendAll();
        return out.toByteArray();
    }
}
