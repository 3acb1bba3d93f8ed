package io.foldin.serve.rank;

/**
 * One top-k query of a scan over {@link ItemColumns}: what to score and where the selection goes.
 *
 * @param u          the query vector; entries {@code 0 .. D-1} are read
 * @param biasWeight w in {@code s_r = u·V_r + w b_r} (ignored for cosine)
 * @param cosine     score {@code s_r = u·V_r / ‖V_r‖} instead
 * @param minCount   rows with fewer ratings are never offered
 * @param skipRow    a row never offered (the query item itself for similarity), or -1
 * @param top        receives the eligible rows; reset by the caller
 */
public record ScanQuery(float[] u, float biasWeight, boolean cosine, int minCount, int skipRow, TopK top) {
}
