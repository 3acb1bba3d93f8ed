package io.foldin.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RatingsReaderTest {
    private static final Path SMALL = Path.of("src/main/resources/ml-latest-small/ratings.csv");

    @TempDir
    Path dir;

    @Test
    void bundledSmallDataset() throws IOException {
        ReadResult r = RatingsReader.read(SMALL, ReadOptions.defaults());
        RatingLog log = r.log();
        // The bundled file is GroupLens' 100,836 ratings (610 users, 9,724 movies, mean 3.50156) plus one
        // appended row "999,999999,5.0,1493846415" without a final newline; movie 999999 is not in
        // movies.csv. A reader that drops an unterminated last line would report the GroupLens figures.
        assertEquals(100_837, r.rows());
        assertEquals(100_837, log.size());
        assertEquals(611, log.users().size());
        assertEquals(9_725, log.items().size());
        assertEquals(3.501572, log.mean(), 1e-6);
        assertEquals(RatingFormat.CSV, r.format());
        assertEquals(0, r.skipped());
        assertEquals(1, log.users().idOf(log.user(0)));
        assertEquals(1, log.items().idOf(log.item(0)));
        assertEquals(4.0f, log.rating(0));
        assertEquals(964_982_703L, log.time(0));
        int last = log.size() - 1;
        assertEquals(999, log.users().idOf(log.user(last)));
        assertEquals(999_999, log.items().idOf(log.item(last)));

        RatingLog original = log.select(rangeOf(last), 0, last);
        assertEquals(100_836, original.size());
        assertEquals(3.501557, original.mean(), 1e-6);
        assertEquals(610, distinct(original, true));
        assertEquals(9_724, distinct(original, false));
    }

    @Test
    void classpathResourceReadsLikeTheFile() throws IOException {
        RatingLog fromFile = RatingsReader.load(SMALL);
        RatingLog fromStream = new RatingLog();
        try (InputStream in = getClass().getResourceAsStream("/ml-latest-small/ratings.csv")) {
            RatingsReader.read(in, "ratings.csv", fromStream, ReadOptions.defaults());
        }
        Logs.assertSame(fromFile, fromStream);
    }

    @Test
    void datFormatIsSniffed() throws IOException {
        ReadResult r = read("ratings.dat", "1::1193::5::978300760\n1::661::3::978302109\n2::1193::4.5::978300275\n");
        assertEquals(RatingFormat.DAT, r.format());
        RatingLog log = r.log();
        assertEquals(3, log.size());
        assertEquals(2, log.users().size());
        assertEquals(2, log.items().size());
        assertEquals(1193, log.items().idOf(log.item(2)));
        assertEquals(4.5f, log.rating(2));
        assertEquals(978_300_275L, log.time(2));
    }

    @Test
    void tabFormatIsSniffed() throws IOException {
        ReadResult r = read("u.data", "196\t242\t3\t881250949\n186\t302\t3\t891717742\n22\t377\t1\t878887116\n");
        assertEquals(RatingFormat.TSV, r.format());
        assertEquals(3, r.rows());
        assertEquals(22, r.log().users().idOf(r.log().user(2)));
        assertEquals(1.0f, r.log().rating(2));
    }

    @Test
    void explicitFormatWins() throws IOException {
        Path f = write("x.txt", "1::2::3::4\n");
        ReadResult dat = RatingsReader.read(f, ReadOptions.defaults().withFormat(RatingFormat.DAT));
        assertEquals(1, dat.rows());
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> RatingsReader.read(f, ReadOptions.defaults().withFormat(RatingFormat.CSV)));
        assertTrue(e.getMessage().contains("expected 4 fields separated by \",\", found 1"), e.getMessage());
    }

    @Test
    void crlfHeaderlessAndMissingFinalNewline() throws IOException {
        assertEquals(2, read("a.csv", "userId,movieId,rating,timestamp\r\n1,2,3.5,100\r\n2,3,4,200\r\n").rows());
        assertEquals(2, read("b.csv", "1,2,3.5,100\n2,3,4,200").rows());
        assertEquals(2, read("c.csv", "1,2,3.5,100\r\n2,3,4,200\r").rows());
        ReadResult one = read("d.csv", "7,8,0.5,-5");
        assertEquals(1, one.rows());
        assertEquals(-5L, one.log().time(0));
        assertEquals(0, read("e.csv", "").rows());
        assertEquals(0, read("f.csv", "userId,movieId,rating,timestamp").rows());
        assertEquals(1, read("g.csv", "\uFEFFuserId,movieId,rating,timestamp\n1,2,3,4\n").rows());
        assertEquals(1, read("h.csv", "\"userId\",\"movieId\",\"rating\",\"timestamp\"\n1,2,3,4\n").rows());
    }

    @Test
    void blankLinesAreIgnoredInBothModes() throws IOException {
        String text = "\n\nuserId,movieId,rating,timestamp\n\n1,2,3,4\n   \n\t\r\n2,3,4,5\n\n";
        for (Malformed mode : Malformed.values()) {
            ReadOptions options = ReadOptions.defaults().withMalformed(mode);
            ReadResult r = RatingsReader.read(in(text), "x.csv", new RatingLog(), options);
            assertEquals(2, r.rows());
            assertEquals(0, r.skipped());
        }
    }

    @Test
    void duplicatePairsAreKept() throws IOException {
        ReadResult r = read("d.csv", "1,2,3,4\n1,2,5,6\n");
        assertEquals(2, r.rows());
        assertEquals(1, r.log().items().size());
        assertEquals(5.0f, r.log().rating(1));
    }

    @Test
    void unusualButValidNumbersTakeTheSlowPath() throws IOException {
        ReadResult r = read("x.csv", "0001,000000000002,4.50000,1000000000000000000\n1,2,.5,0\n1,2,5.,0\n"
                + "2147483647,0,3.25,-9223372036854775808\n");
        RatingLog log = r.log();
        assertEquals(4, log.size());
        assertEquals(1, log.users().idOf(log.user(0)));
        assertEquals(2, log.items().idOf(log.item(0)));
        assertEquals(4.5f, log.rating(0));
        assertEquals(1_000_000_000_000_000_000L, log.time(0));
        assertEquals(0.5f, log.rating(1));
        assertEquals(5.0f, log.rating(2));
        assertEquals(Integer.MAX_VALUE, log.users().idOf(log.user(3)));
        assertEquals(Long.MIN_VALUE, log.time(3));
    }

    @Test
    void gzipIsRecognisedByContent() throws IOException {
        String text = Files.readString(SMALL).substring(0, 200_000);
        Path gz = dir.resolve("ratings.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        RatingLog zipped = RatingsReader.read(gz, ReadOptions.defaults()).log();
        RatingLog plain = RatingsReader.read(in(text), "x", new RatingLog(), ReadOptions.defaults()).log();
        assertTrue(plain.size() > 5000);
        Logs.assertSame(plain, zipped);
        try (InputStream in = Files.newInputStream(gz)) {
            Logs.assertSame(plain, RatingsReader.read(in, "gz", new RatingLog(), ReadOptions.defaults()).log());
        }
    }

    @Test
    void readIntoSharedIndexesMapsTestOntoTraining() throws IOException {
        RatingLog train = read("train.csv", "10,100,4,1\n20,200,3,2\n").log();
        RatingLog test = new RatingLog(train.users(), train.items(), 16);
        ReadResult r = RatingsReader.read(write("test.csv", "20,100,5,3\n30,300,1,4\n"), test, ReadOptions.defaults());
        assertSame(test, r.log());
        assertEquals(1, test.user(0));
        assertEquals(0, test.item(0));
        assertEquals(2, test.user(1));
        assertEquals(2, test.item(1));
        assertEquals(3, train.users().size());
    }

    @Test
    void resultReportsSourceFormatAndCounts() throws IOException {
        ReadResult r = read("x.csv", "1,2,3,4\n");
        assertTrue(r.source().endsWith("x.csv"), r.source());
        assertEquals(RatingFormat.CSV, r.format());
        assertEquals(1, r.rows());
        assertEquals(0, r.skipped());
        assertTrue(r.problems().isEmpty());
    }

    private ReadResult read(String name, String text) throws IOException {
        return RatingsReader.read(write(name, text), ReadOptions.defaults());
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    static InputStream in(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static int[] rangeOf(int n) {
        int[] rows = new int[n];
        for (int k = 0; k < n; k++) {
            rows[k] = k;
        }
        return rows;
    }

    private static int distinct(RatingLog log, boolean users) {
        boolean[] seen = new boolean[users ? log.users().size() : log.items().size()];
        int n = 0;
        for (int k = 0; k < log.size(); k++) {
            int x = users ? log.user(k) : log.item(k);
            n += seen[x] ? 0 : 1;
            seen[x] = true;
        }
        return n;
    }

    /** Log comparison shared by the reader tests. */
    static final class Logs {
        private Logs() {
        }

        static void assertSame(RatingLog a, RatingLog b) {
            assertEquals(a.size(), b.size(), "rows");
            assertArrayEquals(a.users().ids(), b.users().ids(), "user ids");
            assertArrayEquals(a.items().ids(), b.items().ids(), "item ids");
            for (int k = 0; k < a.size(); k++) {
                if (a.user(k) != b.user(k) || a.item(k) != b.item(k) || a.rating(k) != b.rating(k)
                        || a.time(k) != b.time(k)) {
                    throw new AssertionError("row " + k + " differs");
                }
            }
        }
    }
}
