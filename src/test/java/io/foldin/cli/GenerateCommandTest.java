package io.foldin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateCommandTest {
    @TempDir
    Path dir;

    @Test
    void jsonReportsTheFiguresAndTheFiles() throws Exception {
        String out = capture("generate", "--scale", "0.002", "--seed", "9", "--out", dir.toString(),
                "--format", "csv", "--json");
        assertTrue(out.startsWith("{") && out.trim().endsWith("}"), out);
        assertEquals(1, out.trim().split("\n").length, out);
        for (String field : new String[] {"\"scale\":0.002", "\"seed\":9", "\"users\":402", "\"items\":3776",
            "\"ratings\":64000", "\"seconds\":", "\"rating_mean\":3.5", "\"max_user_ratings\":",
            "\"top_item_ratings\":", "\"items_with_at_most_3_ratings\":",
            "\"item_popularity_slope\":-", "\"user_activity_slope\":-", "\"files\":["}) {
            assertTrue(out.contains(field), field + " missing from " + out);
        }
        assertTrue(Files.exists(dir.resolve("ratings.csv")));
        assertTrue(Files.exists(dir.resolve("movies.csv")));
        assertFalse(Files.exists(dir.resolve("ratings.bin")));
        assertTrue(out.contains(Json.write(dir.resolve("movies.csv").toString())), out);
    }

    @Test
    void refusesAScaleBelowTheLeast() throws Exception {
        assertEquals(2, Main.run("generate", "--scale", "0.0001", "--out", dir.toString()));
        assertEquals(2, Main.run("generate", "--scale", "0.000999", "--out", dir.toString()));
        assertEquals(2, Main.run("generate", "--scale", "0.01"));
        assertEquals(0, Main.run("generate", "--help"));
    }

    @Test
    void itemsSetsTheCatalogueAndTooManyForTheRatingsIsAUsageError() throws Exception {
        String out = capture("generate", "--scale", "0.002", "--items", "10000", "--out", dir.toString(),
                "--format", "bin", "--json");
        assertTrue(out.contains("\"users\":402") && out.contains("\"items\":10000") && out.contains("\"ratings\":64000"),
                out);
        assertEquals(10_001, Files.readAllLines(dir.resolve("movies.csv")).size()); // header and one line per item
        assertEquals(2, Main.run("generate", "--scale", "0.002", "--items", "40000", "--out", dir.toString()));
    }

    @Test
    void jsonStringsAreEscaped() {
        assertEquals("\"a\\\"b\\\\c\\n\"", Json.write("a\"b\\c\n"));
    }

    private static String capture(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.run(args));
        } finally {
            System.setOut(saved);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
