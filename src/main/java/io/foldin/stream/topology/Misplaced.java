package io.foldin.stream.topology;

import io.foldin.metrics.Metric;
import io.foldin.metrics.Metrics;
import io.foldin.stream.event.UserKey;
import io.foldin.stream.kafka.Topics;

import java.util.concurrent.atomic.LongAdder;

/**
 * Why a valid rating event read from {@code ratings} is not on its user's owner partition (the partition of
 * the canonical {@link UserKey} under the default partitioner), so that the user fold-in sends it on through
 * {@code ratings-rekeyed} instead of folding it in. librdkafka-based producers (kcat, confluent-kafka for
 * Python/Go/.NET, node-rdkafka) hash with CRC32 by default, and many producers send no key: their events would
 * otherwise be folded into a task that does not own the user, where {@code GET /users/{id}} never looks, and a
 * user fed by two kinds of client would get two partial states.
 *
 * <p>The check runs on every event after the one parse, so the common case costs a scan of a few key bytes and a
 * murmur2 of them (see {@code PlacementBench}); nothing is allocated unless the key is not canonical.
 */
enum Misplaced {
    /** The key is the canonical key of the body's userId, but the producer's partitioner is not murmur2. */
    WRONG_PARTITION("wrong_partition"),
    /** No key (or an empty one, which librdkafka treats alike): the producer spread events over partitions. */
    NO_KEY("no_key"),
    /** The key is not the canonical key of the body's userId (another id, another format): the body decides. */
    KEY_MISMATCH("key_mismatch");

    private final String code;

    Misplaced(String code) {
        this.code = code;
    }

    /** The metric label, stable snake_case. */
    String code() {
        return code;
    }

    /** {@code foldin_rekeyed_total{reason}}, one counter per reason, indexed by {@link #ordinal()}. */
    static LongAdder[] counters(Metrics metrics) {
        LongAdder[] out = new LongAdder[values().length];
        for (Misplaced m : values()) {
            out[m.ordinal()] = metrics.counter(Metric.REKEYED, m.code());
        }
        return out;
    }

    /**
     * @param key        the record's key, as it arrived
     * @param userId     the body's userId
     * @param partition  the partition the record was read from
     * @param partitions partitions of {@code ratings}
     * @return null when {@code partition} owns the user (whatever the key), else why it does not
     */
    static Misplaced check(byte[] key, int userId, int partition, int partitions) {
        boolean canonical = key != null && UserKey.parse(key) == userId;
        int owner = canonical ? UserKey.partitionOfKey(key, partitions) : UserKey.partition(userId, partitions);
        if (owner == partition) {
            return null;
        }
        return canonical ? WRONG_PARTITION : key == null || key.length == 0 ? NO_KEY : KEY_MISMATCH;
    }
}
