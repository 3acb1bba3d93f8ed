package io.foldin.data;

/**
 * A data file line that cannot be read. The message has the compiler-style form
 * {@code source:line: reason}, e.g. {@code ratings.csv:1234: rating "abc" is not a number}, where
 * {@code line} is 1-based and counts every line of the file (header and blank lines included).
 */
public final class DataFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final long line;
    private final String reason;

    public DataFormatException(String source, long line, String reason) {
        super(source + ":" + line + ": " + reason);
        this.source = source;
        this.line = line;
        this.reason = reason;
    }

    /** The file (or stream name) the line came from. */
    public String source() {
        return source;
    }

    /** 1-based line number. */
    public long line() {
        return line;
    }

    /** What is wrong, quoting the offending text (truncated). */
    public String reason() {
        return reason;
    }
}
