package io.foldin.data;

import java.util.List;
import java.util.Locale;

/**
 * What {@link RatingsReader} read.
 *
 * @param log      the log the rows were appended to
 * @param source   the file (or stream name) read
 * @param format   the layout used (sniffed when {@link RatingFormat#AUTO} was asked for)
 * @param rows     rows appended to {@code log}
 * @param skipped  malformed lines skipped (always 0 in {@link Malformed#STRICT} mode); blank lines are not counted
 * @param problems messages ({@code source:line: reason}) of the first {@value #MAX_PROBLEMS} skipped lines
 * @param seconds  wall time of the read
 */
public record ReadResult(RatingLog log, String source, RatingFormat format, long rows, long skipped,
                         List<String> problems, double seconds) {

    /** How many skipped-line messages are kept. */
    public static final int MAX_PROBLEMS = 10;

    public ReadResult {
        problems = List.copyOf(problems);
    }

    /** One JSON object with snake_case fields, for the CLI's {@code --json} output. */
    public String toJson() {
        StringBuilder sb = new StringBuilder(128);
        sb.append("{\"source\":");
        quote(sb, source);
        sb.append(",\"format\":\"").append(format.name().toLowerCase(Locale.ROOT)).append('"');
        sb.append(",\"rows\":").append(rows);
        sb.append(",\"skipped\":").append(skipped);
        sb.append(",\"seconds\":").append(String.format(Locale.ROOT, "%.3f", seconds));
        sb.append(",\"problems\":[");
        for (int k = 0; k < problems.size(); k++) {
            if (k > 0) {
                sb.append(',');
            }
            quote(sb, problems.get(k));
        }
        return sb.append("]}").toString();
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }
}
