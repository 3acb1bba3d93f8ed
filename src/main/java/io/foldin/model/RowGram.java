package io.foldin.model;

/**
 * The statistics of one row's exact solve: over the ratings k of a CSR row, with j = cols[k],
 * {@code y_k = [V_j; 1]} and {@code x_k = r_k − μ − b_j}, it writes {@code G = Σ y_k y_kᵀ} (packed, see
 * {@link PackedGram}) and {@code h = Σ x_k y_k}. An instance holds a workspace: one per thread.
 */
public interface RowGram {
    /** System property that forces the kernel: {@code scalar} or {@code vector}. */
    String KERNEL_PROPERTY = "foldin.gram";

    /**
     * Overwrites {@code g} (n(n+1)/2 doubles) and {@code h} (n doubles), n = stride, from the ratings
     * {@code [from, end)}; the other side's entity j holds {@code [V_j; b_j]} at {@code other[j*stride ..]}.
     */
    void form(int[] cols, float[] vals, int from, int end, float[] other, int stride, double mu, double[] g,
              double[] h);

    /** Kernel name, for reports: {@code vector} or {@code scalar}. */
    String name();

    /**
     * The SIMD kernel when {@code jdk.incubator.vector} is in the boot layer (the JVM was started with
     * {@code --add-modules jdk.incubator.vector}) and the property does not ask for scalar; the scalar
     * kernel otherwise. The vector class is loaded by name, so without the module it is never linked.
     */
    static RowGram create(int n) {
        String forced = System.getProperty(KERNEL_PROPERTY, "");
        if (!forced.equals("scalar") && vectorModulePresent()) {
            try {
                return (RowGram) Class.forName("io.foldin.model.VectorRowGram")
                        .getDeclaredConstructor(int.class).newInstance(n);
            } catch (ReflectiveOperationException | LinkageError e) {
                if (forced.equals("vector")) {
                    throw new IllegalStateException("vector Gram kernel unavailable: " + e, e);
                }
            }
        } else if (forced.equals("vector")) {
            throw new IllegalStateException("-D" + KERNEL_PROPERTY + "=vector needs the JVM option "
                    + "--add-modules jdk.incubator.vector");
        }
        return new ScalarRowGram(n);
    }

    static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }
}
