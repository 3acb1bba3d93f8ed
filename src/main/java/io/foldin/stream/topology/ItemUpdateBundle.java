package io.foldin.stream.topology;

import org.apache.kafka.common.utils.Utils;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Value of a record on the internal topic {@code item-updates}: the {@link ItemUpdate}s one user task
 * sent to one partition of that topic since its previous bundle, each with its item and the produce
 * timestamp of its rating. The record's key is the partition (int32). Binary:
 * <pre>
 * count:int32, count × (item:int32, timestamp:int64, kind:int8, userId:int32, rating:float32,
 *                       previous:float32, epoch:int32, y:float32[D+1])
 * </pre>
 * One record per partition and flush instead of one per rating: each Kafka record costs a producer
 * send and callback, a broker append and a consumer hand-off whatever its size.
 */
final class ItemUpdateBundle {
    static final int HEADER_BYTES = 4;
    /** Bytes of a bundle at most, half a batch of the Streams producer (256 KB). */
    static final int MAX_BYTES = 128 * 1024;

    private ItemUpdateBundle() {
    }

    /** Bytes of one entry with {@code D} factors. */
    static int entryBytes(int factors) {
        return 29 + 4 * (factors + 1);
    }

    /** The partition of {@code item-updates} (and of {@code item-stats}) that holds the item. */
    static int partitionOf(int item, int partitions) {
        return Utils.toPositive(Utils.murmur2(FoldinTopology.intKey(item))) % partitions;
    }

    static void write(ByteBuffer b, int item, long timestamp, ItemUpdate u) {
        b.putInt(item).putLong(timestamp).put((byte) u.kind().ordinal()).putInt(u.userId()).putFloat(u.rating())
                .putFloat(u.previous()).putInt(u.epoch());
        for (float v : u.y()) {
            b.putFloat(v);
        }
    }

    /** A bundle of one update (tests, tools). */
    static byte[] of(int item, long timestamp, ItemUpdate u) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + entryBytes(u.y().length - 1)).putInt(1);
        write(b, item, timestamp, u);
        return b.array();
    }

    /** Number of updates in a bundle, for readers that only count. */
    static int count(byte[] bundle) {
        return ByteBuffer.wrap(bundle).getInt();
    }

    interface Sender {
        void send(int partition, byte[] bundle, long newestTimestamp);
    }

    /**
     * One bundle being filled per partition. A bundle is sent when the next update would make it longer
     * than {@link #MAX_BYTES}, and on {@link #sendAll()}.
     */
    static final class Buffers {
        private final int entryBytes;
        private final ByteBuffer[] bundles;
        private final long[] newest;
        private final Sender sender;
        private int nonEmpty;

        Buffers(int factors, int partitions, Sender sender) {
            this.entryBytes = entryBytes(factors);
            if (HEADER_BYTES + entryBytes > MAX_BYTES) {
                throw new IllegalArgumentException("an item update of D=" + factors + " does not fit a bundle");
            }
            this.bundles = new ByteBuffer[partitions];
            this.newest = new long[partitions];
            this.sender = sender;
        }

        /** Queues the update for the item's partition, sending that partition's bundle first if it is full. */
        void add(int item, long timestamp, ItemUpdate u) {
            int p = partitionOf(item, bundles.length);
            ByteBuffer b = bundles[p];
            if (b == null) {
                b = bundles[p] = ByteBuffer.allocate(MAX_BYTES);
                b.position(HEADER_BYTES);
            } else if (b.remaining() < entryBytes) {
                send(p);
            }
            if (b.position() == HEADER_BYTES) {
                newest[p] = timestamp;
                nonEmpty++;
            }
            write(b, item, timestamp, u);
            newest[p] = Math.max(newest[p], timestamp);
        }

        void sendAll() {
            for (int p = 0; p < bundles.length && nonEmpty > 0; p++) {
                if (bundles[p] != null && bundles[p].position() > HEADER_BYTES) {
                    send(p);
                }
            }
        }

        boolean isEmpty() {
            return nonEmpty == 0;
        }

        /** Drops what was not sent. */
        void clear() {
            Arrays.fill(bundles, null);
            nonEmpty = 0;
        }

        private void send(int p) {
            ByteBuffer b = bundles[p];
            byte[] value = Arrays.copyOf(b.array(), b.position());
            ByteBuffer.wrap(value).putInt((b.position() - HEADER_BYTES) / entryBytes);
            b.position(HEADER_BYTES);
            nonEmpty--;
            sender.send(p, value, newest[p]);
        }
    }

    /** Reads the entries of bundles one after the other into its fields; one reader per processor. */
    static final class Reader {
        private static final ItemUpdate.Kind[] KINDS = ItemUpdate.Kind.values();
        private final int factors;
        private ByteBuffer b;
        private int left;
        private int item;
        private long timestamp;
        private ItemUpdate.Kind kind;
        private int userId;
        private float rating;
        private float previous;
        private int epoch;

        Reader(int factors) {
            this.factors = factors;
        }

        /** Starts on a bundle; throws if its length does not match its count for this D. */
        Reader of(byte[] bundle) {
            int count = bundle.length < HEADER_BYTES ? -1 : ByteBuffer.wrap(bundle).getInt();
            if (count < 0 || bundle.length != HEADER_BYTES + (long) count * entryBytes(factors)) {
                throw new IllegalArgumentException("item-update bundle of " + bundle.length + " bytes does not hold "
                        + count + " updates of D=" + factors + " (" + entryBytes(factors) + " bytes each)");
            }
            b = ByteBuffer.wrap(bundle, HEADER_BYTES, bundle.length - HEADER_BYTES);
            left = count;
            return this;
        }

        /** Reads the next entry, its {@code y} into {@code y[0..D]}; false at the end of the bundle. */
        boolean next(float[] y) {
            if (left == 0) {
                return false;
            }
            left--;
            item = b.getInt();
            timestamp = b.getLong();
            kind = KINDS[b.get()];
            userId = b.getInt();
            rating = b.getFloat();
            previous = b.getFloat();
            epoch = b.getInt();
            for (int a = 0; a <= factors; a++) {
                y[a] = b.getFloat();
            }
            return true;
        }

        int item() {
            return item;
        }

        long timestamp() {
            return timestamp;
        }

        ItemUpdate.Kind kind() {
            return kind;
        }

        int userId() {
            return userId;
        }

        float rating() {
            return rating;
        }

        float previous() {
            return previous;
        }

        int epoch() {
            return epoch;
        }
    }
}
