package io.foldin.data.twin;

/**
 * The hidden low-rank model the twin's ratings come from. Rating of item i by user u: the half-star
 * of the score
 * <pre>
 *   s_ui = b_u + b_i + U_u · V_i + ε_ui,          ε_ui ~ N(0, σ_ε²)
 *   U_u ~ N(0, (a²/D) I_D),   b_u ~ N(0, σ_u²)
 *   V_i = √ρ m_i + √(1−ρ) e_i,  m_i = |F_i|^(-1/2) Σ_{k∈F_i} f_k,  f_k, e_i ~ N(0, I_D)
 *   b_i = σ_i (c z_i + √(1−c²) η_i) + |F_i|^(-1) Σ_{k∈F_i} o_k,   η_i ~ N(0,1),  o_k ~ N(0, σ_g²)
 * </pre>
 * (mapped to half-stars by {@link HalfStars}). F_i is the item's genre set; √ρ m_i is the
 * genre prior mean of docs/design.md §1.5 with feature vectors √ρ f_k, so a fraction ρ = 1/2 of
 * each item factor's variance is predictable from the genres and the prior helps on rare items.
 * z_i is the item's standardised log target popularity and c = 0.4: popular items are rated
 * higher, as in MovieLens.
 *
 * <p>Variances in score units: σ_u² = σ_i² = 0.20, σ_g² = 0.0225, a² = var(U·V) = 0.40,
 * σ_ε² = 0.35. Biases then explain about a third of the score variance and the interaction another
 * third. Measured at scale 0.01 (seed 21, random 90/10 split, 10 ALS sweeps, τ = 10, γ = 3; see
 * {@code TwinLowRankTest}): bias-only test RMSE 0.847, rank-10 biased ALS 0.656; at scale 0.005
 * the noise-free score correlates 0.81 with the half-star rating. The gap is wider than on real
 * MovieLens (≈ 0.86 vs 0.78) on purpose, so that factor-model bugs show.
 */
public final class HiddenModel {
    static final double SIGMA_USER = Math.sqrt(0.20);
    static final double SIGMA_ITEM = Math.sqrt(0.20);
    static final double SIGMA_GENRE = 0.15;
    static final double INTERACTION = 0.40;
    static final double RHO = 0.5;
    static final double POPULARITY_CORR = 0.4;
    static final double SIGMA_NOISE = Math.sqrt(0.35);

    private final int d;
    private final float[] userFactors;
    private final float[] userBias;
    private final float[] itemFactors;
    private final float[] itemBias;

    private HiddenModel(int d, float[] userFactors, float[] userBias, float[] itemFactors, float[] itemBias) {
        this.d = d;
        this.userFactors = userFactors;
        this.userBias = userBias;
        this.itemFactors = itemFactors;
        this.itemBias = itemBias;
    }

    static HiddenModel create(long seed, int users, int d, int[] itemGenres, double[] itemPopularity) {
        int items = itemGenres.length;
        SplitMix rng = SplitMix.stream(seed, Streams.GENRE_EFFECTS, 0);
        double[] genreFactor = new double[Genres.COUNT * d];
        double[] genreOffset = new double[Genres.COUNT];
        for (int j = 0; j < genreFactor.length; j++) {
            genreFactor[j] = rng.nextGaussian();
        }
        for (int g = 0; g < Genres.COUNT; g++) {
            genreOffset[g] = SIGMA_GENRE * rng.nextGaussian();
        }

        double userScale = Math.sqrt(INTERACTION / d);
        float[] uf = new float[users * d];
        float[] ub = new float[users];
        rng = SplitMix.stream(seed, Streams.USER_MODEL, 0);
        for (int u = 0; u < users; u++) {
            for (int f = 0; f < d; f++) {
                uf[u * d + f] = (float) (userScale * rng.nextGaussian());
            }
            ub[u] = (float) (SIGMA_USER * rng.nextGaussian());
        }

        // standardised log popularity, for the popularity–quality correlation
        double mean = 0;
        double sq = 0;
        for (double w : itemPopularity) {
            double l = StrictMath.log(w);
            mean += l;
            sq += l * l;
        }
        mean /= items;
        double sd = Math.sqrt(Math.max(1e-12, sq / items - mean * mean));

        float[] vf = new float[items * d];
        float[] vb = new float[items];
        double[] m = new double[d];
        double sr = Math.sqrt(RHO);
        double se = Math.sqrt(1 - RHO);
        double sc = Math.sqrt(1 - POPULARITY_CORR * POPULARITY_CORR);
        rng = SplitMix.stream(seed, Streams.ITEM_MODEL, 0);
        for (int i = 0; i < items; i++) {
            int mask = itemGenres[i];
            int k = Integer.bitCount(mask);
            java.util.Arrays.fill(m, 0);
            double offset = 0;
            for (int g = 0; g < Genres.COUNT; g++) {
                if ((mask & (1 << g)) != 0) {
                    for (int f = 0; f < d; f++) {
                        m[f] += genreFactor[g * d + f];
                    }
                    offset += genreOffset[g];
                }
            }
            double norm = k == 0 ? 0 : 1 / Math.sqrt(k);
            for (int f = 0; f < d; f++) {
                vf[i * d + f] = (float) (sr * norm * m[f] + se * rng.nextGaussian());
            }
            double z = (StrictMath.log(itemPopularity[i]) - mean) / sd;
            vb[i] = (float) (SIGMA_ITEM * (POPULARITY_CORR * z + sc * rng.nextGaussian())
                    + (k == 0 ? 0 : offset / k));
        }
        return new HiddenModel(d, uf, ub, vf, vb);
    }

    public int factors() {
        return d;
    }

    /** The noise-free score {@code b_u + b_i + U_u · V_i} (dense indices of the twin). */
    public float score(int u, int i) {
        double s = userBias[u] + itemBias[i];
        int a = u * d;
        int b = i * d;
        for (int f = 0; f < d; f++) {
            s += userFactors[a + f] * itemFactors[b + f];
        }
        return (float) s;
    }

    public float userBias(int u) {
        return userBias[u];
    }

    public float itemBias(int i) {
        return itemBias[i];
    }

    /** Item i's hidden factor, component f. */
    public float itemFactor(int i, int f) {
        return itemFactors[i * d + f];
    }

    public float userFactor(int u, int f) {
        return userFactors[u * d + f];
    }
}
