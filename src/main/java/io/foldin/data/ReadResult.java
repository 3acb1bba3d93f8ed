package io.foldin.data;

import java.util.List;

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
}
