package io.foldin.model;

/** A normal-equation system that Cholesky cannot factor; the message names the entity and the fix. */
public final class NotPositiveDefiniteException extends ArithmeticException {
    private static final long serialVersionUID = 1L;

    public NotPositiveDefiniteException(String side, int index, AlsParams params) {
        super("matrix not positive definite for " + side + " " + index + " (tau=" + params.tau()
                + ", gamma=" + params.gamma() + "): raise tau and gamma above 0, or check the input for NaN");
    }
}
