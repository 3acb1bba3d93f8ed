package io.foldin.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MoviesReaderTest {
    private static final Path SMALL = Path.of("src/main/resources/ml-latest-small/movies.csv");

    @TempDir
    Path dir;

    @Test
    void bundledMovies() throws IOException {
        Catalog c = MoviesReader.read(SMALL);
        assertEquals(9_742, c.size());
        assertEquals(20 - 1, c.genreNames().size(), "20 genre strings, one of them (no genres listed)");
        assertEquals("American President, The (1995)", c.title(11));
        assertEquals(1995, c.year(11));
        assertEquals(List.of("Comedy", "Drama", "Romance"), names(c, c.genres(11)));
        assertEquals("11'09\"01 - September 11 (2002)", c.title(7789));
        assertEquals("Misérables, Les (1995)", c.title(73));
        assertEquals(0, c.genres(143410).length, "(no genres listed)");
        assertEquals(Catalog.NO_YEAR, c.year(40697), "Babylon 5");
        assertEquals(2014, c.year(116668), "trailing space after the year");
        assertEquals("Dead Snow 2: Red vs. Dead (2014)", c.title(116668));
        assertEquals(List.of("Adventure", "Animation", "Children", "Comedy", "Fantasy"), names(c, c.genres(1)));
        assertEquals(0, c.genreIndex("Adventure"));
        assertEquals(-1, c.genreIndex("(no genres listed)"));
        assertFalse(c.contains(999_999));
        assertNull(c.title(999_999));
        assertEquals(0, c.genres(999_999).length);
        assertEquals(1, c.ids()[0]);
    }

    @Test
    void genresByDenseIndexOfRatedItems() throws IOException {
        Catalog c = MoviesReader.read(SMALL);
        RatingLog log = RatingsReader.load(Path.of("src/main/resources/ml-latest-small/ratings.csv"));
        int[][] g = c.genresByIndex(log.items());
        assertEquals(log.items().size(), g.length);
        int i = log.items().indexOf(11);
        assertArrayEquals(c.genres(11), g[i]);
        assertEquals(0, g[log.items().indexOf(999_999)].length, "rated but not in movies.csv");
        g[i][0] = 99;
        assertEquals("Comedy", c.genreNames().get(c.genres(11)[0]), "rows are copies");
    }

    @Test
    void datWithLatin1() throws IOException {
        byte[] bytes = ("1::Toy Story (1995)::Animation|Children's|Comedy\r\n"
                + "\n"
                + "73::Mis\u00e9rables, Les (1995)::Drama|Musical\n"
                + "9::Odd::Title (2000)::\n").getBytes(StandardCharsets.ISO_8859_1);
        Path f = Files.write(dir.resolve("movies.dat"), bytes);
        Catalog c = MoviesReader.read(f);
        assertEquals(3, c.size());
        assertEquals("Misérables, Les (1995)", c.title(73));
        assertEquals(List.of("Animation", "Children's", "Comedy"), names(c, c.genres(1)));
        assertEquals("Odd::Title (2000)", c.title(9));
        assertEquals(2000, c.year(9));
        assertEquals(0, c.genres(9).length);
    }

    @Test
    void csvQuotingAcrossLinesCrlfAndGzip() throws IOException {
        String text = "movieId,title,genres\r\n"
                + "5,\"Father of the Bride Part II, The (1995)\",Comedy\r\n"
                + "6,\"Quote \"\"in\"\" and\nnewline (2001)\",Drama|Comedy\r\n"
                + "7,Range (2006\u20132007),(no genres listed)";
        Path gz = dir.resolve("movies.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        Catalog c = MoviesReader.read(gz);
        assertEquals(3, c.size());
        assertEquals("Father of the Bride Part II, The (1995)", c.title(5));
        assertEquals("Quote \"in\" and\nnewline (2001)", c.title(6));
        assertEquals(2001, c.year(6));
        assertEquals(List.of("Drama", "Comedy"), names(c, c.genres(6)));
        assertEquals(2006, c.year(7));
        assertEquals(0, c.genres(7).length);
    }

    @Test
    void malformedMoviesNameTheLine() {
        assertMalformed("movieId,title,genres\n1,A (1995),Drama\n2,B (1996)\n", "m.csv:3: expected 3 fields");
        assertMalformed("movieId,title,genres\n1,\"A (1995),Drama\n2,B,C\n", "m.csv:2: quoted field not closed");
        assertMalformed("movieId,title,genres\n1,\"A\" (1995),Drama\n", "m.csv:2: text after a closing quote");
        assertMalformed("movieId,title,genres\n\"x\nx\",A,Drama\nx1,B,C\n", "m.csv:2: movie id \"x\\nx\"");
        assertMalformed("1::A::B\n2::C\n", "m.csv:2: expected 3 fields separated by \"::\"");
    }

    @Test
    void parseYear() {
        assertEquals(1995, Catalog.parseYear("Toy Story (1995)"));
        assertEquals(2007, Catalog.parseYear("Show (2007-)"));
        assertEquals(Catalog.NO_YEAR, Catalog.parseYear("Babylon 5"));
        assertEquals(Catalog.NO_YEAR, Catalog.parseYear("Movie (uncut)"));
        assertEquals(Catalog.NO_YEAR, Catalog.parseYear("(123)"));
    }

    private static void assertMalformed(String text, String prefix) {
        DataFormatException e = assertThrows(DataFormatException.class, () -> MoviesReader.read(
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "m.csv", null));
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    }

    private static List<String> names(Catalog c, int[] genres) {
        return java.util.Arrays.stream(genres).mapToObj(g -> c.genreNames().get(g)).toList();
    }
}
