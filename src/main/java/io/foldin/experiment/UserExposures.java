package io.foldin.experiment;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One user's experiment state, the value of store {@code experiment-exposures}: per experiment and
 * variant the user was served, the items shown and when (until rated or out of the window), and the
 * user's outcome so far, the count and sum of their ratings of shown items. The entry stays after its
 * items expire, so a user is counted once per variant however often served.
 */
public final class UserExposures {
    /** One (experiment, variant) of the user. */
    public static final class Entry {
        final String experiment;
        final String variant;
        int ratings;
        double sum;
        final Map<Integer, Long> shown = new HashMap<>();

        Entry(String experiment, String variant) {
            this.experiment = experiment;
            this.variant = variant;
        }

        public String experiment() {
            return experiment;
        }

        public String variant() {
            return variant;
        }

        /** The user's outcome: the mean of their outcome ratings; NaN before the first. */
        public double outcome() {
            return ratings == 0 ? Double.NaN : sum / ratings;
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    public List<Entry> entries() {
        return entries;
    }

    /** The entry of (experiment, variant), or null with {@code create} false. */
    public Entry entry(String experiment, String variant, boolean create) {
        for (Entry e : entries) {
            if (e.experiment.equals(experiment) && e.variant.equals(variant)) {
                return e;
            }
        }
        if (!create) {
            return null;
        }
        Entry e = new Entry(experiment, variant);
        entries.add(e);
        return e;
    }

    /** Records the items shown at {@code timeMs} (a later showing of the same item restarts its window). */
    public void show(Entry e, int[] items, long timeMs) {
        for (int i : items) {
            e.shown.merge(i, timeMs, Math::max);
        }
    }

    /**
     * A rating of {@code item} at {@code timeMs}: an outcome of every entry that showed the item at most
     * {@code windowMs} before (and at most {@code slackMs} after, for clocks that differ), which then forgets
     * the item, so each showing yields at most one outcome. Returns the entries changed and, for each, the
     * outcome before the rating (NaN for none) in {@code before}.
     */
    public List<Entry> rate(int item, float rating, long timeMs, long windowMs, long slackMs, List<Double> before) {
        List<Entry> changed = new ArrayList<>(1);
        for (Entry e : entries) {
            Long shownAt = e.shown.get(item);
            if (shownAt != null && timeMs >= shownAt - slackMs && timeMs <= shownAt + windowMs) {
                before.add(e.outcome());
                e.ratings++;
                e.sum += rating;
                e.shown.remove(item);
                changed.add(e);
            }
        }
        return changed;
    }

    /** Forgets items shown before {@code oldestMs}. */
    public void expire(long oldestMs) {
        for (Entry e : entries) {
            e.shown.values().removeIf(t -> t < oldestMs);
        }
    }

    public byte[] encode() {
        int size = 4;
        List<byte[][]> names = new ArrayList<>();
        for (Entry e : entries) {
            byte[][] n = {e.experiment.getBytes(StandardCharsets.UTF_8), e.variant.getBytes(StandardCharsets.UTF_8)};
            names.add(n);
            size += 4 + n[0].length + n[1].length + 4 + 8 + 4 + 12 * e.shown.size();
        }
        ByteBuffer b = ByteBuffer.allocate(size).putInt(entries.size());
        for (int k = 0; k < entries.size(); k++) {
            Entry e = entries.get(k);
            byte[][] n = names.get(k);
            b.putShort((short) n[0].length).put(n[0]).putShort((short) n[1].length).put(n[1]);
            b.putInt(e.ratings).putDouble(e.sum).putInt(e.shown.size());
            for (Map.Entry<Integer, Long> s : e.shown.entrySet()) {
                b.putInt(s.getKey()).putLong(s.getValue());
            }
        }
        return b.array();
    }

    public static UserExposures decode(byte[] bytes) {
        UserExposures u = new UserExposures();
        if (bytes == null) {
            return u;
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int n = b.getInt();
        for (int k = 0; k < n; k++) {
            Entry e = new Entry(text(b), text(b));
            e.ratings = b.getInt();
            e.sum = b.getDouble();
            int shown = b.getInt();
            for (int s = 0; s < shown; s++) {
                e.shown.put(b.getInt(), b.getLong());
            }
            u.entries.add(e);
        }
        return u;
    }

    private static String text(ByteBuffer b) {
        byte[] s = new byte[b.getShort()];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }
}
