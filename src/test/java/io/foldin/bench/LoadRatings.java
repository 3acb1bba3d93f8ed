package io.foldin.bench;

import io.foldin.data.Malformed;
import io.foldin.data.RatingLog;
import io.foldin.data.RatingsReader;
import io.foldin.data.ReadOptions;
import io.foldin.data.ReadResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Load time of a rating file, as a command (not a timed test): one JSON object per run on stdout.
 * Run each measurement in a fresh JVM, so JIT warm-up is part of the figure, as it is for the CLI:
 * <pre>
 * mvn -q test-compile
 * java -Xmx4g -cp target/classes:target/test-classes io.foldin.bench.LoadRatings /tmp/twin/ratings.csv [threads] [skip]
 * </pre>
 * {@code peak_rss_mb} is the process's high-water resident set (VmHWM, Linux only; -1 elsewhere).
 */
public final class LoadRatings {
    private LoadRatings() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: LoadRatings FILE [THREADS] [skip]");
            System.exit(2);
        }
        ReadOptions options = ReadOptions.defaults();
        if (args.length > 1) {
            options = options.withThreads(Integer.parseInt(args[1]));
        }
        if (args.length > 2 && args[2].equals("skip")) {
            options = options.withMalformed(Malformed.SKIP);
        }
        ReadResult r = RatingsReader.read(Path.of(args[0]), options);
        RatingLog log = r.log();
        System.out.println(String.format(Locale.ROOT,
                "{\"rows\":%d,\"skipped\":%d,\"seconds\":%.3f,\"users\":%d,\"items\":%d,\"mean\":%.5f,"
                        + "\"threads\":%d,\"peak_rss_mb\":%d}",
                r.rows(), r.skipped(), r.seconds(), log.users().size(), log.items().size(), log.mean(),
                options.threads(), peakRssMb()));
    }

    private static long peakRssMb() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }
}
