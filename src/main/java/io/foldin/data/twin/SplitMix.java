package io.foldin.data.twin;

/**
 * SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", 2014): a
 * Weyl sequence {@code s += 0x9E3779B97F4A7C15} passed through a 64-bit finaliser.
 *
 * <p>Hand-rolled rather than {@link java.util.SplittableRandom} because the twin must be the same
 * bytes on every JDK: here the whole algorithm, the Gaussian included, is in this file, and logs go
 * through {@link StrictMath}. Each user, item or phase draws from its own stream
 * ({@link #stream}), so the output does not depend on how work is split across threads.
 */
final class SplitMix {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private long state;
    private double spare;
    private boolean hasSpare;

    SplitMix(long seed) {
        this.state = seed;
    }

    /** The independent stream number {@code index} of kind {@code purpose} under a master seed. */
    static SplitMix stream(long seed, int purpose, long index) {
        long s = mix64(seed + GOLDEN * (purpose + 1L));
        return new SplitMix(mix64(s ^ mix64(index * GOLDEN + purpose)));
    }

    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    long nextLong() {
        state += GOLDEN;
        return mix64(state);
    }

    /** Uniform on [0, 1) with 53 random bits. */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform on (0, 1], safe to take the log of. */
    double nextOpenDouble() {
        return ((nextLong() >>> 11) + 1) * 0x1.0p-53;
    }

    /**
     * Uniform on [0, bound) by Lemire's multiply-shift; the bias (at most bound / 2^32) is far
     * below anything a twin of 84k items could show, so no rejection loop.
     */
    int nextInt(int bound) {
        return (int) (((nextLong() >>> 32) * bound) >>> 32);
    }

    /** Standard normal by Marsaglia's polar method (one log per two draws). */
    double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        double x;
        double y;
        double r;
        do {
            x = 2 * nextDouble() - 1;
            y = 2 * nextDouble() - 1;
            r = x * x + y * y;
        } while (r >= 1 || r == 0);
        double f = Math.sqrt(-2 * StrictMath.log(r) / r);
        spare = y * f;
        hasSpare = true;
        return x * f;
    }

    /** Exponential with rate 1. */
    double nextExponential() {
        return -StrictMath.log(nextOpenDouble());
    }
}
