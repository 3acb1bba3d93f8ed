package io.foldin.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Block boundaries, parser threads and the fast path, checked against simpler readings. */
class ChunkedReadTest {

    /** Small blocks put block cuts everywhere, including inside CRLFs and long lines. */
    @Test
    void anyBlockSizeAndThreadCountGivesTheSameLog() throws IOException {
        String text = synthetic(20_000, 42, false);
        RatingLog reference = read(text, 1, RatingsReader.BLOCK, Malformed.STRICT).log();
        assertEquals(20_000, reference.size());
        for (int threads : new int[] {1, 2, 3}) {
            for (int block : new int[] {16, 100, 4096, 65_536}) {
                RatingsReaderTest.Logs.assertSame(reference, read(text, threads, block, Malformed.STRICT).log());
            }
        }
    }

    @Test
    void skippedLinesAreNumberedAcrossBlocksAndThreads() throws IOException {
        String text = synthetic(20_000, 7, true);
        ReadResult reference = read(text, 1, RatingsReader.BLOCK, Malformed.SKIP);
        assertEquals(true, reference.skipped() > 100);
        for (int threads : new int[] {1, 2, 3}) {
            for (int block : new int[] {64, 5000}) {
                ReadResult r = read(text, threads, block, Malformed.SKIP);
                RatingsReaderTest.Logs.assertSame(reference.log(), r.log());
                assertEquals(reference.skipped(), r.skipped());
                assertEquals(reference.problems(), r.problems());
                DataFormatException e = assertThrows(DataFormatException.class,
                        () -> read(text, threads, block, Malformed.STRICT));
                assertEquals(reference.problems().get(0), e.getMessage());
            }
        }
        String first = reference.problems().get(0);
        long line = Long.parseLong(first.split(":")[1]);
        String bad = text.split("\n", -1)[(int) line - 1];
        assertEquals(true, bad.equals("oops") || bad.startsWith("1,2,3,999"), bad);
    }

    /** The fast path's float conversion must equal Float.parseFloat for every rating it accepts. */
    @Test
    void fastPathRatingsEqualFloatParseFloat() {
        StringBuilder sb = new StringBuilder();
        int count = 0;
        for (int scale = 0; scale <= 4; scale++) {
            int pow = (int) Math.pow(10, scale);
            for (int m = (pow + 1) / 2; m <= 5 * pow; m++) {
                String digits = String.format("%0" + (scale + 1) + "d", m);
                int point = digits.length() - scale;
                String r = scale == 0 ? digits : digits.substring(0, point) + "." + digits.substring(point);
                sb.append("1,1,").append(r).append(",0\n");
                count++;
            }
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.US_ASCII);
        RatingChunk c = new RatingChunk(bytes.length);
        c.bytes = bytes;
        c.from = 0;
        c.to = bytes.length;
        c.parse(RatingFormat.CSV, true);
        assertEquals(count, c.rows);
        assertEquals(0, c.skipped);
        String[] lines = sb.toString().split("\n");
        for (int k = 0; k < count; k++) {
            String r = lines[k].split(",")[2];
            assertEquals(Float.parseFloat(r), c.ratings[k], r);
        }
    }

    @Test
    void ordinaryLinesTakeTheFastPath() {
        String ordinary = "1,1,4.0,964982703\r\n610,170875,3,1493846415\n5,7,.5,-1\n9,9,5.,7";
        assertEquals(0, parse(ordinary, RatingFormat.CSV).slowLines);
        assertEquals(0, parse("1::1193::5::978300760\n", RatingFormat.DAT).slowLines);
        assertEquals(0, parse("196\t242\t3\t881250949\n", RatingFormat.TSV).slowLines);
        String unusual = "\n1,1,4.123456,1\n01234567890,1,4,1\n1,1,4,1234567890123456789\n1,1,4,\n";
        RatingChunk c = parse(unusual, RatingFormat.CSV);
        assertEquals(5, c.slowLines);
        assertEquals(3, c.rows);
        assertEquals(1, c.skipped);
    }

    private static RatingChunk parse(String text, RatingFormat format) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        RatingChunk c = new RatingChunk(16);
        c.bytes = bytes;
        c.from = 0;
        c.to = bytes.length;
        c.parse(format, false);
        return c;
    }

    private static ReadResult read(String text, int threads, int block, Malformed mode) throws IOException {
        ReadOptions options = ReadOptions.defaults().withThreads(threads).withMalformed(mode);
        return RatingsReader.read(RatingsReaderTest.in(text), "synthetic.csv", new RatingLog(), options, block);
    }

    /** A header, CRLF and LF lines, blank lines, an occasional 300-character bad line when asked. */
    private static String synthetic(int rows, long seed, boolean withBad) {
        Random rnd = new Random(seed);
        StringBuilder sb = new StringBuilder("userId,movieId,rating,timestamp\r\n");
        for (int k = 0; k < rows; k++) {
            int user = 1 + rnd.nextInt(500);
            int item = 1 + rnd.nextInt(3000);
            int half = 1 + rnd.nextInt(10);
            String rating = half % 2 == 0 ? (half / 2) + ".0" : (half / 2) + ".5";
            sb.append(user).append(',').append(item).append(',').append(rating).append(',')
                    .append(800_000_000L + rnd.nextInt(700_000_000));
            sb.append(rnd.nextInt(4) == 0 ? "\r\n" : "\n");
            if (rnd.nextInt(50) == 0) {
                sb.append('\n');
            }
            if (withBad && rnd.nextInt(100) == 0) {
                sb.append(rnd.nextBoolean() ? "oops\n" : "1,2,3," + "9".repeat(300) + "\n");
            }
        }
        return sb.toString();
    }
}
