package io.foldin.load;

/**
 * Latencies in microseconds, log-linear buckets (64 sub-buckets per power of two, under 1.6%
 * relative error) from 1 µs to about 70 s: enough for p999 without keeping every sample.
 */
final class LatencyHistogram {
    private static final int SUB = 64;
    private final long[] counts = new long[SUB * 40];
    private long total;
    private long max;

    synchronized void record(long micros) {
        long v = Math.max(1, micros);
        int exp = 63 - Long.numberOfLeadingZeros(v);
        int idx = exp < 6 ? (int) v : (exp - 5) * SUB + (int) ((v >>> (exp - 6)) - SUB);
        counts[Math.min(idx, counts.length - 1)]++;
        total++;
        max = Math.max(max, micros);
    }

    synchronized long count() {
        return total;
    }

    /** Upper bound of the bucket holding quantile q, in microseconds. */
    synchronized long quantile(double q) {
        long rank = (long) Math.ceil(q * total);
        long acc = 0;
        for (int i = 0; i < counts.length; i++) {
            acc += counts[i];
            if (acc >= rank && counts[i] > 0) {
                return Math.min(upper(i), max);
            }
        }
        return max;
    }

    private static long upper(int idx) {
        if (idx < SUB) {
            return idx;
        }
        int exp = idx / SUB + 5;
        long sub = idx % SUB + SUB;
        return ((sub + 1) << (exp - 6)) - 1;
    }
}
