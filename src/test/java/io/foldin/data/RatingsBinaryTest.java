package io.foldin.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RatingsBinaryTest {
    @TempDir
    Path dir;

    @Test
    void halfStarsAndUnixSecondsUseTheCompactEncodingAndRoundTrip() throws IOException {
        RatingLog log = new RatingLog();
        Random rnd = new Random(7);
        for (int k = 0; k < 2_500_000; k++) {
            // ids with gaps, as MovieLens movieIds have
            log.add(1 + rnd.nextInt(5000), 1 + 7 * rnd.nextInt(20_000), (1 + rnd.nextInt(10)) * 0.5f,
                    1_000_000_000L + rnd.nextInt(400_000_000));
        }
        Path p = dir.resolve("ratings.bin");
        RatingsBinary.write(p, log);
        RatingsBinary.Header h = RatingsBinary.header(p);
        assertEquals(RatingsBinary.FLAG_HALF_STEPS | RatingsBinary.FLAG_TIME_OFFSETS, h.flags());
        assertEquals(RatingsBinary.HEADER_BYTES + 13L * log.size(), Files.size(p));
        assertEquals(log.users().size(), h.distinctUsers());
        assertSame(log, RatingsBinary.read(p));
    }

    @Test
    void arbitraryRatingsAndWideTimesFallBackToFullWidthColumns() throws IOException {
        RatingLog log = new RatingLog();
        log.add(3, 10, 4.25f, -5L);
        log.add(1, 11, 1f, Long.MAX_VALUE / 2);
        log.add(3, 11, 0.5f, 0L);
        log.add(2, -4, Float.MIN_VALUE, 1L);
        Path p = dir.resolve("odd.bin");
        RatingsBinary.write(p, log);
        assertEquals(0, RatingsBinary.header(p).flags());
        assertEquals(RatingsBinary.HEADER_BYTES + 20L * log.size(), Files.size(p));
        RatingLog back = RatingsBinary.read(p);
        assertSame(log, back);
        // dense indices follow first appearance, as a CSV load would give
        assertEquals(0, back.users().indexOf(3));
        assertEquals(2, back.users().indexOf(2));
    }

    @Test
    void emptyLogRoundTrips() throws IOException {
        Path p = dir.resolve("empty.bin");
        RatingsBinary.write(p, new RatingLog());
        assertEquals(0, RatingsBinary.read(p).size());
    }

    @Test
    void scanStreamsRowsInFileOrder() throws IOException {
        RatingLog log = new RatingLog();
        for (int k = 0; k < 10; k++) {
            log.add(100 - k, k, 5f - k * 0.5f, 1000 + k);
        }
        Path p = dir.resolve("scan.bin");
        RatingsBinary.write(p, log);
        List<Long> times = new ArrayList<>();
        RatingsBinary.scan(p, (u, i, r, t) -> {
            assertEquals(100 - i, u);
            times.add(t);
        });
        assertEquals(10, times.size());
        assertEquals(1009L, times.get(9));
    }

    @Test
    void rejectsForeignTruncatedAndNewerFiles() throws IOException {
        RatingLog log = new RatingLog();
        log.add(1, 1, 4f, 1L);
        log.add(2, 1, 3f, 2L);
        Path p = dir.resolve("ok.bin");
        RatingsBinary.write(p, log);
        byte[] bytes = Files.readAllBytes(p);

        Path csv = dir.resolve("ratings.csv");
        Files.writeString(csv, "userId,movieId,rating,timestamp\n1,1,4.0,1\n1,2,3.0,2\n1,3,3.0,2\n");
        assertTrue(assertThrows(IOException.class, () -> RatingsBinary.read(csv)).getMessage().contains("magic"));

        Path cut = dir.resolve("cut.bin");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 1));
        assertTrue(assertThrows(IOException.class, () -> RatingsBinary.read(cut)).getMessage().contains("truncated"));

        byte[] newer = bytes.clone();
        ByteBuffer.wrap(newer).order(ByteOrder.LITTLE_ENDIAN).putInt(8, RatingsBinary.VERSION + 1);
        Path future = dir.resolve("future.bin");
        Files.write(future, newer);
        assertTrue(assertThrows(IOException.class, () -> RatingsBinary.read(future)).getMessage().contains("version"));
    }

    private static void assertSame(RatingLog expected, RatingLog actual) {
        assertEquals(expected.size(), actual.size());
        for (int k = 0; k < expected.size(); k++) {
            assertEquals(expected.users().idOf(expected.user(k)), actual.users().idOf(actual.user(k)), "user row " + k);
            assertEquals(expected.items().idOf(expected.item(k)), actual.items().idOf(actual.item(k)), "item row " + k);
            assertEquals(Float.floatToIntBits(expected.rating(k)), Float.floatToIntBits(actual.rating(k)), "rating row " + k);
            assertEquals(expected.time(k), actual.time(k), "time row " + k);
        }
    }
}
