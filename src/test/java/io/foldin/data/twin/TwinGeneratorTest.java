package io.foldin.data.twin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foldin.data.RatingLog;
import io.foldin.data.RatingsBinary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwinGeneratorTest {
    private Twin twin;

    @BeforeAll
    void generate() {
        twin = TwinGenerator.generate(TwinConfig.of(0.01, 7));
    }

    @Test
    void countsFollowTheScale() {
        TwinConfig c = TwinConfig.of(0.01, 7);
        // users and ratings ∝ s, items ∝ √s
        assertEquals(2_009, c.users());
        assertEquals(8_443, c.items());
        assertEquals(320_002, c.ratings());
        assertEquals(c.ratings(), twin.size());
        assertEquals(twin.users(), c.users());
        assertEquals(twin.items(), c.items());
        TwinConfig full = TwinConfig.of(1.0, 7);
        assertEquals(200_948, full.users());
        assertEquals(84_432, full.items());
        assertEquals(32_000_204, full.ratings());
        TwinConfig least = TwinConfig.of(TwinConfig.MIN_SCALE, 7);
        assertEquals(201, least.users());
        assertEquals(2_670, least.items());
        assertEquals(32_000, least.ratings());
        IllegalArgumentException below = assertThrows(IllegalArgumentException.class,
                () -> TwinConfig.of(0.0009, 7));
        assertTrue(below.getMessage().startsWith("--scale must be at least 0.001, got 0.0009 "), below.getMessage());
    }

    @Test
    void everyUserHasTwentyDistinctItemsAndEveryItemIsRatedWithAGenre() {
        int[] perUser = new int[twin.users()];
        int[] perItem = new int[twin.items()];
        Set<Long> pairs = new HashSet<>();
        for (int k = 0; k < twin.size(); k++) {
            perUser[twin.user(k)]++;
            perItem[twin.item(k)]++;
            assertTrue(pairs.add((long) twin.userId(k) << 32 | twin.itemId(k)), "duplicate pair at row " + k);
        }
        for (int u = 0; u < perUser.length; u++) {
            assertTrue(perUser[u] >= 20, "user " + u + " has " + perUser[u]);
        }
        for (int i = 0; i < perItem.length; i++) {
            assertTrue(perItem[i] >= 1, "item " + i + " unrated");
            assertTrue(twin.genres(i) != 0, "item " + i + " has no genre");
        }
        // released no later than the year of its first rating (rows are in time order)
        boolean[] seen = new boolean[twin.items()];
        for (int k = 0; k < twin.size(); k++) {
            int i = twin.item(k);
            if (!seen[i]) {
                seen[i] = true;
                assertTrue(twin.year(i) <= Timeline.yearOf(twin.time(k)), "item " + i + " rated before release");
            }
        }
        Twin.Stats s = twin.stats();
        assertTrue(s.maxUserRatings() <= 0.4 * twin.items() + 21, "max user " + s.maxUserRatings());
        // the target puts the top item at about half the users
        assertTrue(Math.abs(s.topItemRatings() - 0.51 * twin.users()) < 0.05 * twin.users(), "top " + s.topItemRatings());
    }

    @Test
    void ratingsAreHalfStarsWithTheTargetHistogramAndTimesAscend() {
        long[] hist = new long[11];
        for (int k = 0; k < twin.size(); k++) {
            float r = twin.rating(k);
            assertTrue(r >= 0.5f && r <= 5f && r * 2 == Math.rint(r * 2), "rating " + r);
            hist[(int) (r * 2)]++;
            if (k > 0) {
                assertTrue(twin.time(k) >= twin.time(k - 1), "time goes back at row " + k);
            }
            assertTrue(twin.time(k) >= Timeline.T_MIN && twin.time(k) <= Timeline.T_MAX);
        }
        assertEquals(3.54, twin.stats().ratingMean(), 0.05);
        assertEquals(3.54, HalfStars.targetMean(), 0.001);
        for (int h = 1; h <= 10; h++) {
            double share = hist[h] / (double) twin.size();
            assertEquals(HalfStars.PER_10K[h - 1] / 10_000.0, share, 0.005, "share of " + h / 2.0);
        }
    }

    @Test
    void dramaIsTheCommonestGenreAndSharesLookLikeMovieLens() {
        int[] count = new int[Genres.COUNT];
        for (int i = 0; i < twin.items(); i++) {
            for (int g = 0; g < Genres.COUNT; g++) {
                count[g] += (twin.genres(i) >>> g) & 1;
            }
        }
        int drama = Genres.NAMES.indexOf("Drama");
        for (int g = 0; g < Genres.COUNT; g++) {
            assertTrue(g == drama || count[g] < count[drama], Genres.NAMES.get(g) + " beats Drama");
        }
        assertEquals(0.42, count[drama] / (double) twin.items(), 0.06);
        assertEquals(0.29, count[Genres.NAMES.indexOf("Comedy")] / (double) twin.items(), 0.06);
    }

    @Test
    void sameSeedSameBytesDifferentSeedDifferentBytes(@TempDir Path dir) throws IOException {
        TwinConfig c = TwinConfig.of(0.002, 11);
        List<Path> a = TwinWriter.write(TwinGenerator.generate(c), dir.resolve("a"), true, true);
        List<Path> b = TwinWriter.write(TwinGenerator.generate(c), dir.resolve("b"), true, true);
        List<Path> other = TwinWriter.write(TwinGenerator.generate(TwinConfig.of(0.002, 12)), dir.resolve("c"),
                true, true);
        assertEquals(3, a.size());
        for (int f = 0; f < a.size(); f++) {
            assertArrayEquals(Files.readAllBytes(a.get(f)), Files.readAllBytes(b.get(f)), a.get(f).toString());
            assertFalse(java.util.Arrays.equals(Files.readAllBytes(a.get(f)), Files.readAllBytes(other.get(f))),
                    other.get(f).toString());
        }
    }

    @Test
    void oneThreadGivesTheSameTwinAsManyThreads(@TempDir Path dir) throws Exception {
        TwinConfig c = TwinConfig.of(0.005, 3);
        ForkJoinPool single = new ForkJoinPool(1);
        try {
            Twin one = single.submit(() -> TwinGenerator.generate(c)).get();
            Twin many = TwinGenerator.generate(c);
            RatingsBinary.write(dir.resolve("one.bin"), one.columns());
            RatingsBinary.write(dir.resolve("many.bin"), many.columns());
            assertArrayEquals(Files.readAllBytes(dir.resolve("one.bin")), Files.readAllBytes(dir.resolve("many.bin")));
        } finally {
            single.shutdown();
        }
    }

    @Test
    void csvAndBinaryHoldTheSameRows(@TempDir Path dir) throws IOException {
        Twin t = TwinGenerator.generate(TwinConfig.of(0.003, 5));
        TwinWriter.write(t, dir, true, true);
        RatingLog csv = TwinCsv.readRatings(dir.resolve(TwinWriter.RATINGS_CSV));
        RatingLog bin = RatingsBinary.read(dir.resolve(TwinWriter.RATINGS_BIN));
        assertEquals(t.size(), csv.size());
        assertEquals(t.size(), bin.size());
        for (int k = 0; k < t.size(); k++) {
            assertEquals(t.userId(k), csv.users().idOf(csv.user(k)));
            assertEquals(t.itemId(k), csv.items().idOf(csv.item(k)));
            assertEquals(t.rating(k), csv.rating(k));
            assertEquals(t.time(k), csv.time(k));
            assertEquals(csv.users().idOf(csv.user(k)), bin.users().idOf(bin.user(k)));
            assertEquals(csv.items().idOf(csv.item(k)), bin.items().idOf(bin.item(k)));
            assertEquals(csv.rating(k), bin.rating(k));
            assertEquals(csv.time(k), bin.time(k));
        }
    }

    @Test
    void moviesCsvListsEveryItemOnceWithGenresAndParses(@TempDir Path dir) throws IOException {
        Twin t = TwinGenerator.generate(TwinConfig.of(0.003, 5));
        TwinWriter.write(t, dir, false, true);
        assertFalse(Files.exists(dir.resolve(TwinWriter.RATINGS_CSV)));
        List<List<String>> rows = TwinCsv.readRfc4180(dir.resolve(TwinWriter.MOVIES_CSV));
        assertEquals(List.of("movieId", "title", "genres"), rows.get(0));
        assertEquals(t.items() + 1, rows.size());
        boolean comma = false;
        for (int id = 1; id <= t.items(); id++) {
            List<String> row = rows.get(id);
            assertEquals(3, row.size(), row.toString());
            assertEquals(id, Integer.parseInt(row.get(0)));
            assertTrue(row.get(1).matches(".+ \\((19|20)\\d\\d\\)"), row.get(1));
            comma |= row.get(1).contains(",");
            for (String g : row.get(2).split("\\|")) {
                assertTrue(Genres.NAMES.contains(g), g);
            }
        }
        assertTrue(comma, "no title exercised the quoting");
        assertEquals("\"\"\"Red\"\" River, The (1990)\"", Titles.csvField("\"Red\" River, The (1990)"));
        assertEquals("Plain (1990)", Titles.csvField("Plain (1990)"));
    }
}
