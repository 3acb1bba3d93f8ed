package io.foldin.experiment;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Which variant of an experiment a user sees: seed 003 Algorithm 8 generalised. SHA-256 of
 * {@code "<experiment>:<userId>"} (UTF-8, the id in decimal); its first 8 bytes as an unsigned number
 * scaled to [0, 1) decide whether the user is in the experiment (below {@code traffic}); the next 8
 * bytes, the same way, pick the variant by cumulative weight. A function of the two names alone: the
 * same on every instance and after every restart; experiments with different names hash
 * independently. Raising traffic keeps everyone already in the experiment in, in the same variant
 * (the variant does not depend on the traffic).
 */
public final class Assignment {
    private static final double TWO_POW_53 = 0x1p53;
    private static final ThreadLocal<MessageDigest> SHA = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    });

    private Assignment() {
    }

    /** The two uniforms of (experiment, user): [0] for traffic, [1] for the variant. */
    static double[] uniforms(String experiment, int userId) {
        byte[] h = SHA.get().digest((experiment + ":" + userId).getBytes(StandardCharsets.UTF_8));
        ByteBuffer b = ByteBuffer.wrap(h);
        return new double[] {(b.getLong(0) >>> 11) / TWO_POW_53, (b.getLong(8) >>> 11) / TWO_POW_53};
    }

    /** The user's variant, or null when the user is outside the experiment's traffic. */
    public static Experiment.Variant variant(Experiment e, int userId) {
        double[] u = uniforms(e.name(), userId);
        if (u[0] >= e.traffic()) {
            return null;
        }
        double target = u[1] * e.totalWeight();
        double cum = 0;
        for (Experiment.Variant v : e.variants()) {
            cum += v.weight();
            if (target < cum) {
                return v;
            }
        }
        return e.variants().get(e.variants().size() - 1);
    }
}
