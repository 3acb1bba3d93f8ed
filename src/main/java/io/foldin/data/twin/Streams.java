package io.foldin.data.twin;

/**
 * Purposes of the random streams ({@link SplitMix#stream}): each part of the twin draws from its
 * own, so changing how one part is drawn leaves the others' bytes alone.
 */
final class Streams {
    static final int USER_ACTIVITY = 1;
    static final int GENRES = 2;
    static final int GENRE_EFFECTS = 3;
    static final int USER_MODEL = 4;
    static final int ITEM_MODEL = 5;
    static final int COVERAGE = 6;
    /** One stream per user, indexed by dense user index: items, times and noise of its ratings. */
    static final int USER_RATINGS = 7;
    static final int RELEASE = 8;
    static final int USER_IDS = 9;
    static final int ITEM_IDS = 10;
    static final int TITLES = 11;

    private Streams() {
    }
}
