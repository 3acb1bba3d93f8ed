package io.foldin.stream.topology;

import java.nio.ByteBuffer;

/**
 * Record of the internal topic {@code item-updates} (key: itemId, int32): one rating change for the
 * item side, carrying the rater's new {@code y_u = [U_u; b_u]} so the item processor needs no user
 * state. Binary: {@code kind:int8, userId:int32, rating:float32, previous:float32, epoch:int32,
 * y:float32[D+1]}.
 *
 * @param previous the replaced rating for {@link Kind#RERATE} and {@link Kind#DELETE}, else NaN
 * @param epoch    the model epoch the user side was in; updates from before a sweep are already
 *                 counted in that sweep's statistics
 */
public record ItemUpdate(Kind kind, int userId, float rating, float previous, int epoch, float[] y) {

    public enum Kind { ADD, RERATE, DELETE }

    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(17 + 4 * y.length);
        b.put((byte) kind.ordinal()).putInt(userId).putFloat(rating).putFloat(previous).putInt(epoch);
        for (float v : y) {
            b.putFloat(v);
        }
        return b.array();
    }

    public static ItemUpdate decode(byte[] bytes, int factors) {
        int n = factors + 1;
        if (bytes.length != 17 + 4 * n) {
            throw new IllegalArgumentException("item update of " + bytes.length + " bytes, expected "
                    + (17 + 4 * n) + " for D=" + factors);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        Kind kind = Kind.values()[b.get()];
        int user = b.getInt();
        float rating = b.getFloat();
        float previous = b.getFloat();
        int epoch = b.getInt();
        float[] y = new float[n];
        for (int a = 0; a < n; a++) {
            y[a] = b.getFloat();
        }
        return new ItemUpdate(kind, user, rating, previous, epoch, y);
    }
}
