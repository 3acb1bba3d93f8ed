package io.foldin.analysis;

import io.foldin.model.AlsParams;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** Random item models with a fixed seed for the analyses' tests. */
public final class Models {
    static final String[] GENRES = {"Action", "Adventure", "Animation", "Comedy", "Horror"};

    private Models() {
    }

    public static ItemModel random(int n, int d, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] ids = new int[n];
        String[] titles = new String[n];
        String[][] genres = new String[n][];
        float[] rows = new float[n * (d + 1)];
        int[] counts = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = 1000 + 3 * i;
            titles[i] = "Movie " + i;
            genres[i] = i % 4 == 0 ? new String[0] : new String[] {GENRES[rnd.nextInt(GENRES.length)],
                GENRES[rnd.nextInt(GENRES.length)]};
            for (int a = 0; a <= d; a++) {
                rows[i * (d + 1) + a] = (float) rnd.nextGaussian();
            }
            counts[i] = rnd.nextInt(200);
        }
        Map<String, float[]> features = new LinkedHashMap<>();
        for (String g : GENRES) {
            float[] f = new float[d];
            for (int a = 0; a < d; a++) {
                f[a] = (float) rnd.nextGaussian();
            }
            features.put(g, f);
        }
        return new ItemModel(d, ids, titles, genres, rows, counts, 3.5, new AlsParams(d, 1.0, 15.0, 3.0), features);
    }
}
