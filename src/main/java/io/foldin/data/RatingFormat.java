package io.foldin.data;

import java.util.Locale;

/**
 * Layouts of a MovieLens rating file. Every layout has the four fields
 * {@code user, item, rating, timestamp} in that order; only the separator differs.
 */
public enum RatingFormat {
    /** Decide from the first non-blank line, then from the file name. */
    AUTO(""),
    /** {@code ratings.csv} of ml-latest, ml-25m, ml-32m: {@code userId,movieId,rating,timestamp}, with a header. */
    CSV(","),
    /** {@code ratings.dat} of ml-1m and ml-10m: {@code UserID::MovieID::Rating::Timestamp}, no header. */
    DAT("::"),
    /** {@code u.data} of ml-100k: tab-separated {@code user item rating timestamp}, no header. */
    TSV("\t");

    private final String separator;

    RatingFormat(String separator) {
        this.separator = separator;
    }

    /** The field separator; empty for {@link #AUTO}. */
    public String separator() {
        return separator;
    }

    /**
     * The layout of a file whose first non-blank line is {@code b[from, to)}: {@code ::} wins over a
     * tab, a tab over a comma (a title-free rating line holds only one kind). Falls back to the file
     * name ({@code .dat}, {@code .data}/{@code .tsv}), then to CSV, whose field-count check then
     * reports the line.
     */
    static RatingFormat sniff(byte[] b, int from, int to, String source) {
        boolean comma = false;
        boolean tab = false;
        for (int p = from; p < to; p++) {
            if (b[p] == ':' && p + 1 < to && b[p + 1] == ':') {
                return DAT;
            }
            tab |= b[p] == '\t';
            comma |= b[p] == ',';
        }
        if (tab) {
            return TSV;
        }
        if (comma) {
            return CSV;
        }
        String name = source.toLowerCase(Locale.ROOT);
        if (name.endsWith(".gz")) {
            name = name.substring(0, name.length() - 3);
        }
        if (name.endsWith(".dat")) {
            return DAT;
        }
        if (name.endsWith(".data") || name.endsWith(".tsv")) {
            return TSV;
        }
        return CSV;
    }
}
