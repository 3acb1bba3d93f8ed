package io.foldin.data.twin;

import io.foldin.data.RatingsBinary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a {@link Twin} in the ml-32m layout: {@code ratings.csv} (header
 * {@code userId,movieId,rating,timestamp}, ratings as {@code 4.0}/{@code 3.5}, rows in time order),
 * {@code movies.csv} ({@code movieId,title,genres}, RFC 4180 quoting, genres '|'-separated, rows by
 * movieId) and the binary {@code ratings.bin} ({@link RatingsBinary}).
 *
 * <p>Each file is written under a temporary name and renamed into place, so a reader never sees a
 * half-written twin under the real name.
 */
public final class TwinWriter {
    public static final String RATINGS_CSV = "ratings.csv";
    public static final String MOVIES_CSV = "movies.csv";
    public static final String RATINGS_BIN = "ratings.bin";
    private static final int BUFFER = 1 << 23;

    private TwinWriter() {
    }

    /** Writes the requested files into {@code dir} (created if missing); returns their paths. */
    public static List<Path> write(Twin twin, Path dir, boolean csv, boolean binary) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        if (csv) {
            written.add(atomically(dir.resolve(RATINGS_CSV), p -> writeRatingsCsv(twin, p)));
        }
        if (binary) {
            written.add(atomically(dir.resolve(RATINGS_BIN), p -> RatingsBinary.write(p, twin.columns())));
        }
        // movies.csv goes with either form: the binary has no titles or genres
        written.add(atomically(dir.resolve(MOVIES_CSV), p -> writeMoviesCsv(twin, p)));
        return written;
    }

    public static void writeRatingsCsv(Twin twin, Path path) throws IOException {
        byte[][] text = new byte[HalfStars.LEVELS + 1][];
        for (int h = 1; h <= HalfStars.LEVELS; h++) {
            text[h] = ((h / 2) + "." + (h % 2 == 0 ? "0" : "5")).getBytes(StandardCharsets.US_ASCII);
        }
        byte comma = ',';
        try (AsciiSink out = new AsciiSink(path, BUFFER)) {
            out.room(64).put("userId,movieId,rating,timestamp\n".getBytes(StandardCharsets.US_ASCII));
            for (int k = 0, n = twin.size(); k < n; k++) {
                // 10 + 1 + 10 + 1 + 3 + 1 + 19 + 1 bytes at most
                out.room(64).putDecimal(twin.userId(k)).put(comma).putDecimal(twin.itemId(k)).put(comma)
                        .put(text[twin.halfStars(k)]).put(comma).putDecimal(twin.time(k)).put((byte) '\n');
            }
        }
    }

    public static void writeMoviesCsv(Twin twin, Path path) throws IOException {
        int items = twin.items();
        int[] byId = new int[items + 1];
        for (int i = 0; i < items; i++) {
            byId[twin.itemIdOf(i)] = i;
        }
        try (AsciiSink out = new AsciiSink(path, 1 << 20)) {
            out.room(64).put("movieId,title,genres\n".getBytes(StandardCharsets.US_ASCII));
            for (int id = 1; id <= items; id++) {
                int i = byId[id];
                byte[] title = Titles.csvField(twin.title(i)).getBytes(StandardCharsets.UTF_8);
                byte[] genres = Genres.join(twin.genres(i)).getBytes(StandardCharsets.US_ASCII);
                out.room(title.length + genres.length + 16).putDecimal(id).put((byte) ',').put(title)
                        .put((byte) ',').put(genres).put((byte) '\n');
            }
        }
    }

    @FunctionalInterface
    private interface FileJob {
        void write(Path path) throws IOException;
    }

    private static Path atomically(Path target, FileJob job) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            job.write(tmp);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }
}
