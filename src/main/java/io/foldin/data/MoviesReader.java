package io.foldin.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads MovieLens movie lists into a {@link Catalog}.
 * <ul>
 *   <li>{@code movies.csv} (ml-latest, ml-25m, ml-32m): {@code movieId,title,genres}, UTF-8, a header,
 *       RFC 4180 quoting (titles with commas are quoted, {@code ""} is a quote, a quoted field may
 *       span lines).</li>
 *   <li>{@code movies.dat} (ml-1m, ml-10m): {@code MovieID::Title::Genres}, ISO-8859-1 by default. The
 *       first and last {@code ::} split the line, so a title may itself contain {@code ::}.</li>
 * </ul>
 * The first non-blank line picks the format (an id followed by {@code ::} means .dat) and is a
 * header when it starts with a letter. Genres are {@code |}-separated; {@code (no genres listed)}
 * and an empty field mean none. Blank lines are ignored, gzip input is fine, a repeated movie id replaces the earlier
 * one. Anything else malformed throws {@link DataFormatException}: 87k movies load in well under a
 * second, so there is no skip mode.
 */
public final class MoviesReader {
    private static final String NO_GENRES = "(no genres listed)";

    private MoviesReader() {
    }

    /** Reads {@code file} in its format's default charset (UTF-8 for CSV, ISO-8859-1 for .dat). */
    public static Catalog read(Path file) throws IOException {
        return read(file, null);
    }

    /** Reads {@code file} decoded with {@code charset} (null for the format's default). */
    public static Catalog read(Path file, Charset charset) throws IOException {
        try (InputStream in = Inputs.open(file)) {
            return read(in, file.toString(), charset);
        }
    }

    /** Reads {@code in} (gzip or not; not closed); {@code source} names it in messages. */
    public static Catalog read(InputStream in, String source, Charset charset) throws IOException {
        byte[] bytes = Inputs.decompressed(in).readAllBytes();
        boolean dat = firstLineHasDoubleColon(bytes);
        Charset cs = charset != null ? charset : dat ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8;
        String text = new String(bytes, cs);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        Catalog.Builder catalog = Catalog.builder();
        if (dat) {
            readDat(text, source, catalog);
        } else {
            readCsv(text, source, catalog);
        }
        return catalog.build();
    }

    private static void readDat(String text, String source, Catalog.Builder catalog) {
        int line = 0;
        boolean first = true;
        for (int p = 0; p < text.length(); ) {
            int nl = text.indexOf('\n', p);
            int end = nl < 0 ? text.length() : nl;
            String s = text.substring(p, end > p && text.charAt(end - 1) == '\r' ? end - 1 : end);
            p = end + 1;
            line++;
            if (s.isBlank()) {
                continue;
            }
            boolean header = first && Character.isLetter(s.strip().charAt(0));
            first = false;
            if (header) {
                continue;
            }
            int a = s.indexOf("::");
            int b = s.lastIndexOf("::");
            if (a < 0 || a == b) {
                throw new DataFormatException(source, line,
                        "expected 3 fields separated by \"::\": " + RatingLine.quote(s));
            }
            add(catalog, source, line, s.substring(0, a), s.substring(a + 2, b), s.substring(b + 2));
        }
    }

    private static void readCsv(String text, String source, Catalog.Builder catalog) {
        List<String> fields = new ArrayList<>(3);
        StringBuilder field = new StringBuilder(64);
        int line = 1;
        int n = text.length();
        int p = 0;
        boolean first = true;
        while (p < n) {
            int recordLine = line;
            fields.clear();
            boolean endOfRecord = false;
            while (!endOfRecord) {
                field.setLength(0);
                if (p < n && text.charAt(p) == '"') {
                    p++;
                    while (true) {
                        if (p >= n) {
                            throw new DataFormatException(source, recordLine, "quoted field not closed");
                        }
                        char c = text.charAt(p++);
                        if (c == '"') {
                            if (p < n && text.charAt(p) == '"') {
                                field.append('"');
                                p++;
                            } else {
                                break;
                            }
                        } else {
                            line += c == '\n' ? 1 : 0;
                            field.append(c);
                        }
                    }
                    if (p < n && text.charAt(p) != ',' && text.charAt(p) != '\n' && text.charAt(p) != '\r') {
                        throw new DataFormatException(source, line,
                                "text after a closing quote: " + RatingLine.quote(field.toString()));
                    }
                } else {
                    while (p < n && text.charAt(p) != ',' && text.charAt(p) != '\n') {
                        field.append(text.charAt(p++));
                    }
                }
                if (p < n && text.charAt(p) == ',') {
                    p++;
                } else {
                    // end of line: drop the CR of a CRLF
                    if (p < n && text.charAt(p) == '\r') {
                        p++;
                    }
                    int len = field.length();
                    if (len > 0 && field.charAt(len - 1) == '\r') {
                        field.setLength(len - 1);
                    }
                    if (p < n && text.charAt(p) == '\n') {
                        p++;
                        line++;
                    }
                    endOfRecord = true;
                }
                fields.add(field.toString());
            }
            if (fields.size() == 1 && fields.get(0).isBlank()) {
                continue;
            }
            boolean header = first && !fields.get(0).isBlank() && Character.isLetter(fields.get(0).strip().charAt(0));
            first = false;
            if (header) {
                continue;
            }
            if (fields.size() != 3) {
                throw new DataFormatException(source, recordLine, "expected 3 fields (movieId,title,genres), found "
                        + fields.size() + ": " + RatingLine.quote(String.join(",", fields)));
            }
            add(catalog, source, recordLine, fields.get(0), fields.get(1), fields.get(2));
        }
    }

    private static void add(Catalog.Builder catalog, String source, int line, String id, String title, String genres) {
        int movieId = -1;
        boolean digits = !id.isEmpty() && id.chars().allMatch(c -> c >= '0' && c <= '9');
        if (digits) {
            try {
                movieId = Integer.parseInt(id);
            } catch (NumberFormatException e) {
                movieId = -1;
            }
        }
        if (movieId < 0) {
            throw new DataFormatException(source, line,
                    "movie id " + RatingLine.quote(id) + " is not a non-negative int");
        }
        List<String> names = new ArrayList<>();
        String g = genres.strip();
        if (!g.isEmpty() && !g.equals(NO_GENRES)) {
            for (int p = 0; p <= g.length(); ) {
                int bar = g.indexOf('|', p);
                int end = bar < 0 ? g.length() : bar;
                String name = g.substring(p, end).strip();
                if (!name.isEmpty()) {
                    names.add(name);
                }
                p = end + 1;
            }
        }
        catalog.add(movieId, title, names);
    }

    /**
     * Whether the first non-blank line is .dat: a data line is when its leading digits are followed
     * by {@code ::} (a CSV title may contain {@code ::}), a header line when it has {@code ::} at all.
     */
    private static boolean firstLineHasDoubleColon(byte[] b) {
        int p = 0;
        while (p < b.length) {
            int nl = p;
            boolean blank = true;
            boolean colons = false;
            while (nl < b.length && b[nl] != '\n') {
                blank &= b[nl] == ' ' || b[nl] == '\t' || b[nl] == '\r';
                colons |= b[nl] == ':' && nl + 1 < b.length && b[nl + 1] == ':';
                nl++;
            }
            if (!blank) {
                int q = p;
                while (q < nl && b[q] >= '0' && b[q] <= '9') {
                    q++;
                }
                return q == p ? colons : q + 1 < nl && b[q] == ':' && b[q + 1] == ':';
            }
            p = nl + 1;
        }
        return false;
    }
}
