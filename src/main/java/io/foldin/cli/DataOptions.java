package io.foldin.cli;

import io.foldin.data.Malformed;
import io.foldin.data.RatingLog;
import io.foldin.data.RatingsBinary;
import io.foldin.data.RatingsReader;
import io.foldin.data.ReadOptions;
import io.foldin.data.ReadResult;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How commands read rating files: text formats through {@link RatingsReader}, {@code .bin} directly. */
final class DataOptions {
    @Option(names = "--skip-malformed",
            description = "Skip and count malformed lines instead of stopping at the first one (with its line number).")
    boolean skipMalformed;

    record Loaded(RatingLog log, long skipped) {
    }

    Loaded load(Path file) throws IOException {
        if (isBinary(file)) {
            return new Loaded(RatingsBinary.read(file), 0);
        }
        ReadResult r = RatingsReader.read(file, readOptions());
        report(r);
        return new Loaded(r.log(), r.skipped());
    }

    /** Appends {@code file} to {@code into}, mapping ids through {@code into}'s indexes. */
    void readInto(Path file, RatingLog into) throws IOException {
        if (isBinary(file)) {
            RatingLog extra = RatingsBinary.read(file, into.users(), into.items());
            for (int k = 0; k < extra.size(); k++) {
                into.addIndexed(extra.user(k), extra.item(k), extra.rating(k), extra.time(k));
            }
            return;
        }
        report(RatingsReader.read(file, into, readOptions()));
    }

    private ReadOptions readOptions() {
        return ReadOptions.defaults().withMalformed(skipMalformed ? Malformed.SKIP : Malformed.STRICT);
    }

    private static void report(ReadResult r) {
        if (r.skipped() > 0) {
            System.err.printf("%s: skipped %,d malformed lines; first: %s%n", r.source(), r.skipped(),
                    String.join("; ", r.problems()));
        }
    }

    private static boolean isBinary(Path file) {
        return file.getFileName().toString().endsWith(".bin");
    }
}
