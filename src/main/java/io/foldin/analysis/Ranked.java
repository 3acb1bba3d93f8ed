package io.foldin.analysis;

/** One row of a ranked table: item index in its {@link ItemModel}, id, title and the value ranked by. */
public record Ranked(int index, int id, String title, double value) {
}
