package io.foldin.report;

import io.foldin.analysis.ItemModel;

/** Which item the dummy user rates. */
final class DummyItems {
    /** The seed's choice (seed 003 §14), when the catalogue has it. */
    static final String SEED_TITLE = "Lord of the Rings: The Fellowship of the Ring";

    private DummyItems() {
    }

    /**
     * The index of item {@code id} when given (≥ 0) and present; else the most rated item whose title
     * contains {@link #SEED_TITLE}; else the most rated item; -1 for an empty model.
     *
     * @throws IllegalArgumentException for a given id the model does not have
     */
    static int pick(ItemModel m, int id) {
        if (id >= 0) {
            for (int i = 0; i < m.size(); i++) {
                if (m.ids()[i] == id) {
                    return i;
                }
            }
            throw new IllegalArgumentException("the dummy user's item " + id + " is not in the model");
        }
        int best = -1;
        int named = -1;
        for (int i = 0; i < m.size(); i++) {
            if (best < 0 || m.counts()[i] > m.counts()[best]) {
                best = i;
            }
            String t = m.titles()[i];
            if (t != null && t.contains(SEED_TITLE) && (named < 0 || m.counts()[i] > m.counts()[named])) {
                named = i;
            }
        }
        return named >= 0 ? named : best;
    }
}
