package io.foldin.data;

import java.util.Objects;

/**
 * How {@link RatingsReader} reads a file.
 *
 * @param format  the layout, or {@link RatingFormat#AUTO} to sniff it
 * @param malformed what to do with a malformed line
 * @param threads parser threads; 1 parses on the calling thread. The result does not depend on it.
 */
public record ReadOptions(RatingFormat format, Malformed malformed, int threads) {

    public ReadOptions {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(malformed, "malformed");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
    }

    /**
     * Sniffed layout, {@link Malformed#STRICT}, one parser thread per core but at most 4: the
     * calling thread reads and appends on its own, and past a few parsers that bounds the load.
     */
    public static ReadOptions defaults() {
        return new ReadOptions(RatingFormat.AUTO, Malformed.STRICT,
                Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    public ReadOptions withFormat(RatingFormat format) {
        return new ReadOptions(format, malformed, threads);
    }

    public ReadOptions withMalformed(Malformed malformed) {
        return new ReadOptions(format, malformed, threads);
    }

    public ReadOptions withThreads(int threads) {
        return new ReadOptions(format, malformed, threads);
    }
}
