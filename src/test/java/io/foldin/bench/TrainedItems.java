package io.foldin.bench;

import io.foldin.data.RatingLog;
import io.foldin.data.RatingMatrix;
import io.foldin.data.RatingsBinary;
import io.foldin.model.AlsParams;
import io.foldin.model.AlsTrainer;
import io.foldin.model.FactorModel;
import io.foldin.model.Factors;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Item factors {@code [V_i; b_i]} trained by ALS (D = 20, the default λ, τ, γ; no genre prior) on a twin's
 * {@code ratings.bin}, saved for the index benchmarks: a 1M-item catalogue's real factor distribution, which
 * synthetic ones only imitate, and optionally the users' {@code [U_u; b_u]} (the queries). File: int32 rows,
 * int32 D, then rows × (D + 1) float32, big-endian.
 * Run: {@code java -Xmx12g -cp target/classes:target/test-classes:$(cat target/cp.txt) io.foldin.bench.TrainedItems
 * /tmp/twin-1m/ratings.bin /tmp/twin-1m/items.f32 5 /tmp/twin-1m/users.f32}.
 */
public final class TrainedItems {
    private TrainedItems() {
    }

    public static void main(String[] args) throws IOException {
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        long t0 = System.nanoTime();
        RatingLog log = RatingsBinary.read(in);
        RatingMatrix m = RatingMatrix.of(log, log.users().size(), log.items().size());
        float[] range = log.ratingRange();
        AlsParams params = AlsParams.DEFAULT;
        FactorModel model = FactorModel.initial(params, log.mean(), range[0], range[1], log.users().size(),
                log.items().size(), null, 42);
        System.err.printf("read %d ratings, %d items (%.1f s)%n", log.size(), log.items().size(),
                (System.nanoTime() - t0) / 1e9);
        try (AlsTrainer trainer = new AlsTrainer(params, Runtime.getRuntime().availableProcessors())) {
            for (int it = 1; it <= iterations; it++) {
                trainer.sweep(model, m);
                System.err.printf("sweep %d (%.1f s)%n", it, (System.nanoTime() - t0) / 1e9);
            }
        }
        write(model.items(), out);
        if (args.length > 3) {
            write(model.users(), Path.of(args[3]));
        }
    }

    private static void write(Factors f, Path out) throws IOException {
        try (DataOutputStream o = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(out)))) {
            o.writeInt(f.count());
            o.writeInt(f.dim());
            for (int i = 0; i < f.count(); i++) {
                for (int a = 0; a < f.dim(); a++) {
                    o.writeFloat(f.get(i, a));
                }
                o.writeFloat(f.bias(i));
            }
        }
    }

    /** The rows of a file {@link #main} wrote, row-major with stride D + 1. */
    public static float[] read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
            int n = in.readInt();
            int d = in.readInt();
            byte[] bytes = in.readNBytes(n * (d + 1) * 4);
            float[] x = new float[n * (d + 1)];
            ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN).asFloatBuffer().get(x);
            return x;
        }
    }

    /** D of a file {@link #main} wrote. */
    public static int factors(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            in.readInt();
            return in.readInt();
        }
    }
}
