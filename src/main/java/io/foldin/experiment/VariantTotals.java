package io.foldin.experiment;

import java.nio.ByteBuffer;

/**
 * One variant's running aggregates (of one partition, or summed): users exposed, exposure records,
 * users with an outcome ("converted": at least one rating of an exposed item within the window),
 * outcome ratings, and the sum and sum of squares of each converted user's outcome, the mean of their
 * outcome ratings. The binary value of topic {@code experiment-totals} and of the store
 * {@code experiment-totals}: 4 int64 then 2 float64, big-endian.
 */
public record VariantTotals(long users, long exposures, long converted, long ratings, double sum, double sumSq) {
    public static final VariantTotals ZERO = new VariantTotals(0, 0, 0, 0, 0, 0);
    static final int BYTES = 48;

    public VariantTotals plus(VariantTotals o) {
        return new VariantTotals(users + o.users, exposures + o.exposures, converted + o.converted,
                ratings + o.ratings, sum + o.sum, sumSq + o.sumSq);
    }

    public byte[] encode() {
        return ByteBuffer.allocate(BYTES).putLong(users).putLong(exposures).putLong(converted).putLong(ratings)
                .putDouble(sum).putDouble(sumSq).array();
    }

    public static VariantTotals decode(byte[] b) {
        ByteBuffer in = ByteBuffer.wrap(b);
        return new VariantTotals(in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getDouble(), in.getDouble());
    }

    /** Mean outcome of the converted users. */
    public double mean() {
        return converted == 0 ? Double.NaN : sum / converted;
    }

    /** Sample variance (n − 1) of the converted users' outcomes. */
    public double variance() {
        if (converted < 2) {
            return Double.NaN;
        }
        return Math.max(0, (sumSq - sum * sum / converted) / (converted - 1));
    }
}
