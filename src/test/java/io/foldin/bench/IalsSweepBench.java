package io.foldin.bench;

import io.foldin.data.RatingLog;
import io.foldin.data.RatingMatrix;
import io.foldin.data.RatingsBinary;
import io.foldin.data.RatingsReader;
import io.foldin.data.ReadOptions;
import io.foldin.eval.ImplicitEvaluation;
import io.foldin.model.ImplicitAlsModel;
import io.foldin.model.ImplicitParams;
import io.foldin.model.ImplicitTrainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Seconds per implicit-ALS sweep on a rating file, as a command (not a timed test): the ratings at or above the
 * threshold become interactions (weight 1), then SWEEPS full sweeps (users, then items), each timed alone; one JSON
 * object on stdout. Ranking metrics are left out: scoring every item for 200k users costs far more than a sweep.
 * <pre>
 * mvn -q package -DskipTests && mvn -q test-compile
 * java -Xmx12g -cp target/foldin.jar:target/test-classes io.foldin.bench.IalsSweepBench \
 *     /tmp/twin/ratings.bin [factors=32] [sweeps=3] [threads=all] [threshold=4]
 * </pre>
 */
public final class IalsSweepBench {
    private IalsSweepBench() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: IalsSweepBench FILE [FACTORS] [SWEEPS] [THREADS] [THRESHOLD]");
            System.exit(2);
        }
        int factors = args.length > 1 ? Integer.parseInt(args[1]) : ImplicitParams.DEFAULT.factors();
        int sweeps = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : Runtime.getRuntime().availableProcessors();
        double threshold = args.length > 4 ? Double.parseDouble(args[4]) : 4.0;
        Path file = Path.of(args[0]);
        RatingLog all = file.toString().endsWith(".bin") ? RatingsBinary.read(file)
                : RatingsReader.read(file, ReadOptions.defaults()).log();
        RatingLog positives = ImplicitEvaluation.positives(all, threshold);
        int ratings = all.size();
        all = null; // the ratings are not needed past this point: leave the heap to the matrix
        RatingMatrix m = RatingMatrix.of(positives);
        ImplicitParams p = new ImplicitParams(factors, ImplicitParams.DEFAULT.alpha(), ImplicitParams.DEFAULT.lambda());
        ImplicitAlsModel model = ImplicitAlsModel.initial(p, m.numUsers(), m.numItems(), 42);
        StringBuilder seconds = new StringBuilder();
        try (ImplicitTrainer trainer = new ImplicitTrainer(p, threads)) {
            for (int s = 0; s < sweeps; s++) {
                long t0 = System.nanoTime();
                trainer.sweep(model.userFactors(), model.itemFactors(), m);
                seconds.append(s == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.2f", (System.nanoTime() - t0) / 1e9));
            }
        }
        System.out.println(String.format(Locale.ROOT,
                "{\"file\":\"%s\",\"ratings\":%d,\"interactions\":%d,\"users\":%d,\"items\":%d,\"factors\":%d,"
                        + "\"threads\":%d,\"threshold\":%s,\"sweep_seconds\":[%s]}",
                args[0], ratings, m.numRatings(), m.numUsers(), m.numItems(), factors, threads, threshold, seconds));
    }
}
