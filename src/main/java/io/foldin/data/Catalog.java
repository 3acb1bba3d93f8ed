package io.foldin.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Item metadata: title, release year and genres of each item, by external item id. Genres are small
 * indices into {@link #genreNames()}, numbered in order of first appearance, so the genre prior can
 * index feature vectors by them. Immutable; build one with {@link #builder()} or
 * {@link MoviesReader}.
 */
public final class Catalog {
    /** {@link #year} of an item without metadata or without a year in its title. */
    public static final int NO_YEAR = 0;
    private static final int[] NONE = new int[0];

    private final IdIndex index;
    private final String[] titles;
    private final int[] years;
    private final int[][] genres;
    private final List<String> genreNames;
    private final Map<String, Integer> genreIndex;

    private Catalog(Builder b) {
        int n = b.index.size();
        // a copy, so that a builder used again does not change this catalog
        index = new IdIndex(n);
        for (int id : b.index.ids()) {
            index.add(id);
        }
        titles = b.titles.toArray(new String[0]);
        years = Arrays.copyOf(b.years, n);
        genres = b.genres.toArray(new int[0][]);
        genreNames = List.copyOf(b.genreNames);
        genreIndex = Map.copyOf(b.genreIndex);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Number of items. */
    public int size() {
        return titles.length;
    }

    public boolean contains(int id) {
        return index.indexOf(id) >= 0;
    }

    /** Title as in the file (year included, surrounding spaces removed), or null for an unknown item. */
    public String title(int id) {
        int k = index.indexOf(id);
        return k < 0 ? null : titles[k];
    }

    /** Year from a trailing {@code (1995)} or {@code (2006–2007)} in the title, else {@link #NO_YEAR}. */
    public int year(int id) {
        int k = index.indexOf(id);
        return k < 0 ? NO_YEAR : years[k];
    }

    /** Genre indices of the item (a copy), empty for an unknown item or one without genres. */
    public int[] genres(int id) {
        int k = index.indexOf(id);
        return k < 0 ? NONE : genres[k].clone();
    }

    /** The genre vocabulary: {@code genreNames().get(g)} is the name of genre index g. */
    public List<String> genreNames() {
        return genreNames;
    }

    /** Index of a genre name, or -1. */
    public int genreIndex(String name) {
        Integer g = genreIndex.get(name);
        return g == null ? -1 : g;
    }

    /** External item ids in the order they were added. */
    public int[] ids() {
        return index.ids();
    }

    /**
     * Genre indices by dense item index of {@code items}: row i belongs to {@code items.idOf(i)}.
     * Items without metadata get an empty row. Rows are copies.
     */
    public int[][] genresByIndex(IdIndex items) {
        int[][] out = new int[items.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = genres(items.idOf(i));
        }
        return out;
    }

    /** Year in a title ending {@code (YYYY)}, {@code (YYYY-YYYY)}, {@code (YYYY–)}; else {@link #NO_YEAR}. */
    static int parseYear(String title) {
        String t = title.strip();
        int open = t.lastIndexOf('(');
        if (!t.endsWith(")") || open < 0 || t.length() - open - 2 < 4) {
            return NO_YEAR;
        }
        for (int k = open + 1; k <= open + 4; k++) {
            if (t.charAt(k) < '0' || t.charAt(k) > '9') {
                return NO_YEAR;
            }
        }
        char after = t.charAt(open + 5);
        if (after != ')' && after != '-' && after != '\u2013') {
            return NO_YEAR;
        }
        return Integer.parseInt(t, open + 1, open + 5, 10);
    }

    /** Collects items; adding an id again replaces its metadata. */
    public static final class Builder {
        private final IdIndex index = new IdIndex();
        private final List<String> titles = new ArrayList<>();
        private int[] years = new int[64];
        private final List<int[]> genres = new ArrayList<>();
        private final List<String> genreNames = new ArrayList<>();
        private final Map<String, Integer> genreIndex = new HashMap<>();

        private Builder() {
        }

        /** Adds an item; the year is parsed from the title. Genre names may repeat; they are kept once. */
        public Builder add(int id, String title, List<String> genreList) {
            int[] g = genreList.stream()
                    .mapToInt(name -> genreIndex.computeIfAbsent(name, n -> {
                        genreNames.add(n);
                        return genreNames.size() - 1;
                    }))
                    .distinct()
                    .toArray();
            String t = title.strip();
            int k = index.add(id);
            if (k == titles.size()) {
                titles.add(t);
                genres.add(g);
            } else {
                titles.set(k, t);
                genres.set(k, g);
            }
            if (k == years.length) {
                years = Arrays.copyOf(years, years.length * 2);
            }
            years[k] = parseYear(t);
            return this;
        }

        public Catalog build() {
            return new Catalog(this);
        }
    }
}
