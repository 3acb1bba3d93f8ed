package io.foldin.stream.live;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RowIndexTest {

    @Test
    void agreesWithAHashMapThroughGrowth() {
        Random rnd = new Random(3);
        RowIndex index = new RowIndex();
        Map<Integer, Integer> reference = new HashMap<>();
        for (int row = 0; row < 50_000; row++) {
            int id;
            do {
                // small dense ids, huge ones, negatives, and multiples of a power of two (probe collisions)
                id = switch (row % 4) {
                    case 0 -> rnd.nextInt(100_000);
                    case 1 -> rnd.nextInt();
                    case 2 -> -rnd.nextInt(1_000_000) - 1;
                    default -> rnd.nextInt(1 << 20) << 10;
                };
            } while (reference.containsKey(id) || id == Integer.MIN_VALUE);
            reference.put(id, row);
            index.add(id, row);
        }
        reference.forEach((id, row) -> assertEquals(row, index.get(id), "id " + id));
        for (int i = 0; i < 10_000; i++) {
            int id = rnd.nextInt();
            assertEquals(reference.getOrDefault(id, -1), index.get(id), "id " + id);
        }
        assertThrows(IllegalArgumentException.class, () -> index.add(Integer.MIN_VALUE, 1));
    }

    /** A reader racing the writer never sees a wrong row: an id is either absent or maps to its row. */
    @Test
    void readersSeeAbsentOrCorrectRowsWhileTheWriterGrowsIt() throws Exception {
        RowIndex index = new RowIndex();
        int n = 200_000;
        AtomicReference<String> error = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            Random rnd = new Random(5);
            for (int i = 0; i < 5_000_000 && error.get() == null; i++) {
                int id = rnd.nextInt(n) * 7 + 1;
                int row = index.get(id);
                if (row != -1 && row != (id - 1) / 7) {
                    error.set("id " + id + " -> row " + row);
                }
            }
        });
        reader.start();
        for (int row = 0; row < n; row++) {
            index.add(row * 7 + 1, row);
        }
        reader.join();
        assertNull(error.get());
        for (int row = 0; row < n; row += 997) {
            assertEquals(row, index.get(row * 7 + 1));
        }
    }
}
