package io.foldin.stream.topology;

import io.foldin.stream.event.ParseResult;
import io.foldin.stream.event.RatingEvent;
import io.foldin.stream.event.RatingEventCodec;
import io.foldin.stream.event.RatingEventParser;
import io.foldin.stream.event.UserKey;
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

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * What the placement check adds to each well-placed event: the parse the user fold-in did before (with the key,
 * which the parser checked against userId) against the parse it does now (without) plus {@link Misplaced#check}.
 * Run: {@code mvn -q test-compile exec:exec -Djmh.args="PlacementBench"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PlacementBench {
    static final int N = 1024;
    static final int PARTITIONS = 4;

    final RatingEventParser parser = new RatingEventParser();
    byte[][] keys = new byte[N][];
    byte[][] values = new byte[N][];
    int[] partitions = new int[N];
    int[] users = new int[N];
    int next;

    @Setup
    public void setup() {
        SplittableRandom rnd = new SplittableRandom(1);
        for (int k = 0; k < N; k++) {
            RatingEvent e = new RatingEvent(rnd.nextInt(200_000), rnd.nextInt(80_000), 0.5f + rnd.nextInt(10) / 2f,
                    1_500_000_000L + rnd.nextInt(100_000_000));
            keys[k] = RatingEventCodec.key(e);
            values[k] = RatingEventCodec.encode(e);
            users[k] = e.userId();
            partitions[k] = UserKey.partition(e.userId(), PARTITIONS); // well placed, as the Java client places it
        }
    }

    @Benchmark
    public Object parseWithKeyCheck() {
        int k = next++ & (N - 1);
        return parser.parse(keys[k], values[k], 0);
    }

    @Benchmark
    public Object parseThenPlacementCheck() {
        int k = next++ & (N - 1);
        ParseResult r = parser.parse(null, values[k], 0);
        return Misplaced.check(keys[k], ((RatingEvent) r).userId(), partitions[k], PARTITIONS) == null ? r : null;
    }

    /** The check alone, for a figure that the parse's noise does not drown. */
    @Benchmark
    public Object placementCheckOnly() {
        int k = next++ & (N - 1);
        return Misplaced.check(keys[k], users[k], partitions[k], PARTITIONS);
    }
}
