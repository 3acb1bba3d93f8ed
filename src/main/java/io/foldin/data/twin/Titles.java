package io.foldin.data.twin;

/**
 * Made-up movie titles in MovieLens style, "Words (Year)", including the awkward cases a CSV
 * reader must survive: a trailing article after a comma ("Long Night, The (1994)"), as MovieLens
 * writes it, so the field must be quoted; and, rarely (1 in 200), a double quote inside the title,
 * which RFC 4180 doubles.
 */
final class Titles {
    private static final String[] ADJECTIVES = {"Silent", "Last", "Red", "Lost", "Broken", "Golden", "Hidden",
        "Dark", "Little", "Final", "Wild", "Secret", "Electric", "Frozen", "Crimson", "Endless", "Lonely", "Brave",
        "Burning", "Quiet", "Strange", "Forgotten", "Midnight", "Iron", "Paper", "Hollow", "Distant", "Savage",
        "Tender", "Bitter", "Velvet", "Restless"};
    private static final String[] NOUNS = {"River", "Night", "Summer", "Road", "City", "Heart", "Garden", "Storm",
        "Stranger", "Kingdom", "Mirror", "Island", "Train", "Letter", "Promise", "Harbor", "Winter", "Empire",
        "Detective", "Dream", "Shadow", "Machine", "Bridge", "Frontier", "Orchestra", "Planet", "Circus", "Witness",
        "Mountain", "Diary", "Horizon", "Season"};
    private static final String[] ARTICLES = {"The", "A", "An"};

    private Titles() {
    }

    /** The title of dense item {@code item} released in {@code year}, fixed by the seed. */
    static String title(long seed, int item, int year) {
        SplitMix rng = SplitMix.stream(seed, Streams.TITLES, item);
        String adj = ADJECTIVES[rng.nextInt(ADJECTIVES.length)];
        String noun = NOUNS[rng.nextInt(NOUNS.length)];
        String other = NOUNS[rng.nextInt(NOUNS.length)];
        int form = rng.nextInt(8);
        String words = switch (form) {
            case 0, 1 -> adj + " " + noun + ", The";
            case 2 -> noun + " of the " + adj + " " + other;
            case 3 -> adj + " " + noun + " " + (2 + rng.nextInt(3));
            case 4 -> noun + ", " + ARTICLES[rng.nextInt(ARTICLES.length)];
            default -> adj + " " + noun;
        };
        if (rng.nextInt(200) == 0) {
            words = "\"" + adj + "\" " + noun;
        }
        return words + " (" + year + ")";
    }

    /** {@code field} as an RFC 4180 CSV field: quoted (quotes doubled) when it holds , " CR or LF. */
    static String csvField(String field) {
        boolean quote = false;
        for (int j = 0; j < field.length() && !quote; j++) {
            char c = field.charAt(j);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        return quote ? "\"" + field.replace("\"", "\"\"") + "\"" : field;
    }
}
