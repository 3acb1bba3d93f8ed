package io.foldin.data;

/** What a reader does with a malformed line. Blank lines are never malformed: both modes skip them. */
public enum Malformed {
    /** Throw a {@link DataFormatException} naming the file, the line and the reason. */
    STRICT,
    /** Skip the line and count it; the first few reasons are kept in the {@link ReadResult}. */
    SKIP
}
