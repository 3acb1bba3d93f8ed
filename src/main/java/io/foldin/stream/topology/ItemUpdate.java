package io.foldin.stream.topology;

/**
 * One rating change for the item side, carrying the rater's new {@code y_u = [U_u; b_u]} so the item
 * processor needs no user state. Travels inside an {@link ItemUpdateBundle} on the internal topic
 * {@code item-updates}.
 *
 * @param previous the replaced rating for {@link Kind#RERATE} and {@link Kind#DELETE}, else NaN
 * @param epoch    the model epoch the user side was in; updates from before a sweep are already
 *                 counted in that sweep's statistics
 */
public record ItemUpdate(Kind kind, int userId, float rating, float previous, int epoch, float[] y) {

    public enum Kind { ADD, RERATE, DELETE }
}
