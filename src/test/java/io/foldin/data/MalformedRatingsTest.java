package io.foldin.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MalformedRatingsTest {
    private static final ReadOptions STRICT = ReadOptions.defaults();
    private static final ReadOptions SKIP = ReadOptions.defaults().withMalformed(Malformed.SKIP);

    /** Each bad line, as line 4 of a file with a header and good lines around it, and its reason. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "1,2,3                | expected 4 fields separated by \",\", found 3: \"1,2,3\"",
        "1,2,3,4,5            | expected 4 fields separated by \",\", found 5",
        "a,2,3,4              | user id \"a\" is not a non-negative integer",
        "',2,3,4'             | user id is empty",
        "-1,2,3,4             | user id \"-1\" is not a non-negative integer",
        "3000000000,2,3,4     | user id \"3000000000\" is out of int range",
        "1,x,3,4              | item id \"x\" is not a non-negative integer",
        "'1,,3,4'             | item id is empty",
        "1,99999999999,3,4    | item id \"99999999999\" is out of int range",
        "1,2,abc,4            | rating \"abc\" is not a number",
        "'1,2,,4'             | rating is empty",
        "1,2,NaN,4            | rating \"NaN\" is not a number",
        "1,2,1e0,4            | rating \"1e0\" is not a number",
        "1,2,4.5.0,4          | rating \"4.5.0\" is not a number",
        "1,2,5.5,4            | rating \"5.5\" is outside [0.5, 5.0]",
        "1,2,0.4,4            | rating \"0.4\" is outside [0.5, 5.0]",
        "1,2,0,4              | rating \"0\" is outside [0.5, 5.0]",
        "1,2,-1,4             | rating \"-1\" is outside [0.5, 5.0]",
        "1,2,-0.5,4           | rating \"-0.5\" is outside [0.5, 5.0]",
        "1,2,-,4              | rating \"-\" is not a number",
        "1,2,+3,4             | rating \"+3\" is not a number",
        "1,2,3.5,xyz          | timestamp \"xyz\" is not an integer",
        "'1,2,3.5,'           | timestamp is empty",
        "'1,2,3.5,12 '        | timestamp \"12 \" is not an integer",
        "1,2,3.5,99999999999999999999 | timestamp \"99999999999999999999\" is out of long range",
        "' 1,2,3.5,12'        | user id \" 1\" is not a non-negative integer",
    })
    void strictNamesFileLineAndReason(String bad, String reason) throws IOException {
        String text = "userId,movieId,rating,timestamp\n1,10,4.0,100\n\n" + bad + "\n2,20,3.0,200\n";
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> RatingsReader.read(RatingsReaderTest.in(text), "ratings.csv", new RatingLog(), STRICT));
        assertEquals(4, e.line());
        assertEquals("ratings.csv", e.source());
        assertTrue(e.getMessage().startsWith("ratings.csv:4: " + reason), e.getMessage());

        ReadResult r = RatingsReader.read(RatingsReaderTest.in(text), "ratings.csv", new RatingLog(), SKIP);
        assertEquals(2, r.rows());
        assertEquals(1, r.skipped());
        assertEquals(List.of(e.getMessage()), r.problems());
        assertEquals(20, r.log().items().idOf(r.log().item(1)));
    }

    @Test
    void longOffendingTextIsTruncated() {
        String bad = "1,2,3," + "7".repeat(30) + "x".repeat(70);
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> RatingsReader.read(RatingsReaderTest.in(bad), "f", new RatingLog(), STRICT));
        assertEquals("timestamp \"" + "7".repeat(30) + "x".repeat(10) + "...\" is not an integer", e.reason());
    }

    @Test
    void datAndTabReasonsNameTheirSeparator() {
        DataFormatException dat = assertThrows(DataFormatException.class, () -> RatingsReader.read(
                RatingsReaderTest.in("1::2::3::4\n1::2:3::4\n"), "ratings.dat", new RatingLog(), STRICT));
        assertEquals("ratings.dat:2: expected 4 fields separated by \"::\", found 3: \"1::2:3::4\"", dat.getMessage());
        DataFormatException tab = assertThrows(DataFormatException.class, () -> RatingsReader.read(
                RatingsReaderTest.in("1\t2\t3\t4\r\n1\t2\t3\r\n"), "u.data", new RatingLog(), STRICT));
        assertEquals("u.data:2: expected 4 fields separated by \"\\t\", found 3: \"1\\t2\\t3\"", tab.getMessage());
    }

    @Test
    void skipKeepsEveryGoodRowAndTheFirstReasons() throws IOException {
        StringBuilder text = new StringBuilder("userId,movieId,rating,timestamp\r\n");
        List<Integer> goodItems = new ArrayList<>();
        int bad = 0;
        for (int k = 0; k < 50; k++) {
            if (k % 3 == 1) {
                text.append("1,").append(k).append(",9,1\r\n");
                bad++;
            } else {
                text.append("1,").append(k).append(",2.5,1\r\n");
                goodItems.add(k);
            }
        }
        ReadResult r = RatingsReader.read(RatingsReaderTest.in(text.toString()), "s.csv", new RatingLog(), SKIP);
        assertEquals(goodItems.size(), r.rows());
        assertEquals(bad, r.skipped());
        for (int k = 0; k < goodItems.size(); k++) {
            assertEquals(goodItems.get(k), r.log().items().idOf(r.log().item(k)));
        }
        assertEquals(ReadResult.MAX_PROBLEMS, r.problems().size());
        assertEquals("s.csv:3: rating \"9\" is outside [0.5, 5.0]", r.problems().get(0));
        assertEquals("s.csv:6: rating \"9\" is outside [0.5, 5.0]", r.problems().get(1));
        assertEquals(bad, r.skipped());
    }
}
