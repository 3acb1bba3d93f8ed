package io.foldin.stream.event;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class UserKeyTest {

    @Test
    void theKeyIsTheDecimalIdAndParsesBack() {
        Random rnd = new Random(7);
        int[] ids = {0, 1, 9, 10, 296, 999_999_999, Integer.MAX_VALUE};
        for (int k = 0; k < 10_000 + ids.length; k++) {
            int id = k < ids.length ? ids[k] : rnd.nextInt(Integer.MAX_VALUE);
            byte[] key = UserKey.of(id);
            assertArrayEquals(Integer.toString(id).getBytes(StandardCharsets.US_ASCII), key);
            assertEquals(id, UserKey.parse(key));
            assertArrayEquals(key, UserKey.SERIALIZER.serialize("ratings", id));
        }
    }

    @Test
    void onlyCanonicalKeysParse() {
        for (String bad : new String[] {"", "01", "-1", "+1", "2147483648", "99999999999", "1a", " 1", "user-1"}) {
            assertEquals(-1, UserKey.parse(bad.getBytes(StandardCharsets.US_ASCII)), bad);
        }
        assertEquals(-1, UserKey.parse(null));
    }

    /** The owner is where the Java producer's (and Streams') default partitioner puts the key. */
    @Test
    void theOwnerIsTheDefaultPartitionersChoice() {
        Random rnd = new Random(11);
        for (int partitions : new int[] {1, 3, 4, 12}) {
            for (int k = 0; k < 2_000; k++) {
                int id = rnd.nextInt(Integer.MAX_VALUE);
                assertEquals(BuiltInPartitioner.partitionForKey(UserKey.of(id), partitions),
                        UserKey.partition(id, partitions));
            }
        }
    }
}
