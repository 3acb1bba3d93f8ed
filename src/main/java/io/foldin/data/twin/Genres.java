package io.foldin.data.twin;

import java.util.List;

/**
 * The 19 MovieLens genres, and a draw of an item's genre set as a bit mask (bit g = {@link #NAMES}
 * index g, alphabetical as in ml-32m's {@code movies.csv}).
 *
 * <p>Source: ml-32m {@code movies.csv} (87,585 movies), read once to derive these figures. 7,080
 * movies there have "(no genres listed)"; the twin gives every item at least one genre, so the
 * figures are over the other 80,505. Genres per movie: 1: 37,505, 2: 25,262, 3: 13,172, 4: 3,521,
 * 5: 849, 6: 161, 7: 32, 8 or more: 3. Share of movies with each genre: Drama 42.5%, Comedy 28.7%,
 * Thriller 14.7%, Romance 12.9%, Action 12.0%, Documentary 11.6%, Horror 10.7%, Crime 8.7%,
 * Adventure 6.7%, Sci-Fi 6.1%, Animation 5.7%, Children 5.6%, Mystery 5.0%, Fantasy 4.8%, War 2.9%,
 * Western 2.1%, Musical 1.3%, Film-Noir 0.44%, IMAX 0.24%.
 *
 * <p>A draw takes the number of genres k from the first histogram, then k distinct genres by
 * successive weighted sampling. Sampling without replacement flattens the shares, so
 * {@link #WEIGHTS} are not the shares themselves but weights calibrated (by simulation, offline)
 * so that the resulting shares match the list above to within a few percent.
 */
public final class Genres {
    public static final List<String> NAMES = List.of("Action", "Adventure", "Animation", "Children",
            "Comedy", "Crime", "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "IMAX", "Musical",
            "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western");
    public static final int COUNT = 19;

    private static final int[] WEIGHTS = {6226, 3365, 2886, 2822, 16286, 4425, 5988, 26723, 2390, 215,
        5500, 123, 643, 2521, 6629, 3056, 7704, 1450, 1047};
    /** Movies with 1, 2, ..., 8 genres. */
    private static final int[] PER_MOVIE = {37_505, 25_262, 13_172, 3_521, 849, 161, 32, 3};
    private static final int PER_MOVIE_TOTAL = 80_505;

    private Genres() {
    }

    /** A random non-empty genre set. */
    static int draw(SplitMix rng) {
        int x = rng.nextInt(PER_MOVIE_TOTAL);
        int k = 0;
        while (x >= PER_MOVIE[k]) {
            x -= PER_MOVIE[k++];
        }
        k++;
        int mask = 0;
        int left = 0;
        for (int w : WEIGHTS) {
            left += w;
        }
        for (int j = 0; j < k; j++) {
            int y = rng.nextInt(left);
            int g = 0;
            while ((mask & (1 << g)) != 0 || y >= WEIGHTS[g]) {
                if ((mask & (1 << g)) == 0) {
                    y -= WEIGHTS[g];
                }
                g++;
            }
            mask |= 1 << g;
            left -= WEIGHTS[g];
        }
        return mask;
    }

    /** The genres of {@code mask} joined by '|', in alphabetical order, as in {@code movies.csv}. */
    public static String join(int mask) {
        StringBuilder sb = new StringBuilder();
        for (int g = 0; g < COUNT; g++) {
            if ((mask & (1 << g)) != 0) {
                if (sb.length() > 0) {
                    sb.append('|');
                }
                sb.append(NAMES.get(g));
            }
        }
        return sb.toString();
    }
}
