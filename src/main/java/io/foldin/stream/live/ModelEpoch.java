package io.foldin.stream.live;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every statistic of one model generation is relative to: the global mean μ that ratings are
 * centred on ({@code x = r − μ − b}) and the genre feature vectors {@code f_k} of the prior mean
 * {@code m_i = |F_i|^(-1/2) Σ_k f_k}. Both change only in a full sweep, which rebuilds all statistics
 * with the new values, so fold-in and sweeps always agree on them. Epoch 0 is the model before any
 * sweep: μ from the configuration, no genre features.
 *
 * <p>Serialised (topic {@code model}, key {@code "current"}) so a restarted instance resumes the same
 * epoch: {@code epoch:int32, mu:float64, D:int32, genres:int32, (name:UTF, f:float32[D])*, then the
 * last sweep: finished_ms:int64, duration_ms:int64, ratings:int64, holdout_rmse:float64}.
 */
public record ModelEpoch(int epoch, double mu, int factors, Map<String, float[]> features, SweepInfo sweep) {

    /** The last sweep's figures; {@code holdoutRmse} is NaN when nothing was held out. */
    public record SweepInfo(long finishedMs, long durationMs, long ratings, double holdoutRmse) {
        public static final SweepInfo NONE = new SweepInfo(0, 0, 0, Double.NaN);
    }

    public ModelEpoch {
        features = Map.copyOf(features);
    }

    public static ModelEpoch initial(double mu, int factors) {
        return new ModelEpoch(0, mu, factors, Map.of(), SweepInfo.NONE);
    }

    /**
     * Writes the prior mean of an item with these genres into {@code out[0..D)}; returns false and
     * leaves out alone when none of the genres has a feature vector (zero prior mean).
     */
    public boolean priorMean(Iterable<String> genres, float[] out) {
        if (features.isEmpty()) {
            return false;
        }
        int used = 0;
        for (String g : genres) {
            float[] f = features.get(g);
            if (f == null) {
                continue;
            }
            if (used == 0) {
                java.util.Arrays.fill(out, 0, factors, 0f);
            }
            for (int a = 0; a < factors; a++) {
                out[a] += f[a];
            }
            used++;
        }
        if (used == 0) {
            return false;
        }
        float scale = (float) (1.0 / Math.sqrt(used));
        for (int a = 0; a < factors; a++) {
            out[a] *= scale;
        }
        return true;
    }

    public byte[] encode() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + features.size() * (32 + 4 * factors));
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(epoch);
            out.writeDouble(mu);
            out.writeInt(factors);
            out.writeInt(features.size());
            for (Map.Entry<String, float[]> e : features.entrySet()) {
                out.writeUTF(e.getKey());
                for (int a = 0; a < factors; a++) {
                    out.writeFloat(e.getValue()[a]);
                }
            }
            out.writeLong(sweep.finishedMs());
            out.writeLong(sweep.durationMs());
            out.writeLong(sweep.ratings());
            out.writeDouble(sweep.holdoutRmse());
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ModelEpoch decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int epoch = in.readInt();
            double mu = in.readDouble();
            int d = in.readInt();
            int genres = in.readInt();
            Map<String, float[]> features = new LinkedHashMap<>();
            for (int k = 0; k < genres; k++) {
                String name = in.readUTF();
                float[] f = new float[d];
                for (int a = 0; a < d; a++) {
                    f[a] = in.readFloat();
                }
                features.put(name, f);
            }
            SweepInfo info = new SweepInfo(in.readLong(), in.readLong(), in.readLong(), in.readDouble());
            return new ModelEpoch(epoch, mu, d, features, info);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a model epoch record: " + e.getMessage(), e);
        }
    }
}
