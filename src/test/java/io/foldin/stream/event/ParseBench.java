package io.foldin.stream.event;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One rating event read per call, as the user fold-in reads each record: {@link RatingEventParser#parse} (the
 * plain-form scan, {@link PlainRatingScan}) against the full Jackson reader it falls back to. 1,024 twin-like
 * events in replay's form, cycled. Run: {@code mvn -q test-compile exec:exec -Djmh.args="ParseBench"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ParseBench {
    RatingEventParser parser;
    byte[][] values;
    int next;

    @Setup
    public void setup() {
        parser = new RatingEventParser();
        Random rnd = new Random(42);
        values = new byte[1024][];
        for (int i = 0; i < values.length; i++) {
            values[i] = ("{\"userId\":" + rnd.nextInt(330_000) + ",\"itemId\":" + rnd.nextInt(200_000) + ",\"rating\":"
                    + (1 + rnd.nextInt(10)) / 2.0 + ",\"timestamp\":" + (1_000_000_000L + rnd.nextInt(600_000_000)) + "}")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    @Benchmark
    public ParseResult parse() {
        return parser.parse(null, values[next++ & 1023], 0);
    }

    @Benchmark
    public ParseResult jackson() {
        return parser.parseFully(-1, values[next++ & 1023], 0);
    }
}
