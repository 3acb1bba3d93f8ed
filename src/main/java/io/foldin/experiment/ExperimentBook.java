package io.foldin.experiment;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * What one instance knows about experiments: the definitions (a copy of topic {@code experiments})
 * and each variant's totals per user partition (a copy of topic {@code experiment-totals}). Both are
 * filled by global stores, so every instance holds the same, and the readout of any instance sums
 * every partition. Thread-safe: the global thread writes, the HTTP event loops read.
 *
 * <p><b>Precedence.</b> A user may be in several experiments. They apply in the order of their names
 * (Unicode order); for each ranking option the first experiment whose variant sets it wins, later
 * ones leave it as it is, and a variant's options override the request's query parameters (the
 * experiment decides, not the caller). Every experiment the user is in is reported and gets an
 * exposure, with the options of its variant that were applied.
 */
public final class ExperimentBook {
    /** Default of {@code experiments.window.ms}: a rating counts as an outcome up to 24 h after the exposure. */
    public static final long DEFAULT_WINDOW_MS = 24L * 3600 * 1000;

    private final Map<String, Experiment> defined = new ConcurrentSkipListMap<>();
    private final Map<String, Map<String, Map<Integer, VariantTotals>>> totals = new ConcurrentHashMap<>();
    private volatile long windowMs = DEFAULT_WINDOW_MS;

    /** One experiment a user is in, with the options of its variant that took effect for this request. */
    public record Assigned(Experiment experiment, Experiment.Variant variant, List<String> applied) {
    }

    /** The ranking options in force after the experiments, and who set them. */
    public record Resolved(float biasWeight, int minRatings, boolean genreBoost, List<Assigned> experiments) {
    }

    public long windowMs() {
        return windowMs;
    }

    public void windowMs(long ms) {
        if (ms <= 0) {
            throw new IllegalArgumentException("experiments.window.ms must be > 0, got " + ms);
        }
        this.windowMs = ms;
    }

    public void put(Experiment e) {
        defined.put(e.name(), e);
    }

    public void remove(String name) {
        defined.remove(name);
    }

    public Experiment get(String name) {
        return defined.get(name);
    }

    /** No experiment defined: the outcome join skips ratings then, at the cost of one check. */
    public boolean isEmpty() {
        return defined.isEmpty();
    }

    public List<Experiment> all() {
        return new ArrayList<>(defined.values());
    }

    /** Applies every experiment the user is in to the request's options, by the precedence above. */
    public Resolved resolve(int userId, float biasWeight, int minRatings, boolean genreBoost) {
        boolean bSet = false;
        boolean mSet = false;
        boolean gSet = false;
        List<Assigned> in = new ArrayList<>();
        for (Experiment e : defined.values()) {
            Experiment.Variant v = Assignment.variant(e, userId);
            if (v == null) {
                continue;
            }
            List<String> applied = new ArrayList<>(2);
            Experiment.Ranking r = v.ranking();
            if (r.biasWeight() != null && !bSet) {
                biasWeight = r.biasWeight();
                bSet = true;
                applied.add("biasWeight");
            }
            if (r.minRatings() != null && !mSet) {
                minRatings = r.minRatings();
                mSet = true;
                applied.add("minRatings");
            }
            if (r.genreBoost() != null && !gSet) {
                genreBoost = r.genreBoost();
                gSet = true;
                applied.add("genreBoost");
            }
            in.add(new Assigned(e, v, applied));
        }
        return new Resolved(biasWeight, minRatings, genreBoost, in);
    }

    /** A partition's totals of one variant, from topic {@code experiment-totals}. */
    public void putTotals(String experiment, String variant, int partition, VariantTotals t) {
        totals.computeIfAbsent(experiment, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(variant, k -> new ConcurrentHashMap<>()).put(partition, t);
    }

    /** Each variant's totals summed over partitions, in the experiment's variant order (zeros for none yet). */
    public Map<String, VariantTotals> totals(Experiment e) {
        Map<String, Map<Integer, VariantTotals>> byVariant = totals.getOrDefault(e.name(), Map.of());
        Map<String, VariantTotals> out = new LinkedHashMap<>();
        for (Experiment.Variant v : e.variants()) {
            VariantTotals sum = VariantTotals.ZERO;
            for (VariantTotals t : byVariant.getOrDefault(v.name(), Map.of()).values()) {
                sum = sum.plus(t);
            }
            out.put(v.name(), sum);
        }
        return out;
    }

    /** Key of a record of topic {@code experiment-totals}: {@code experiment|variant|partition}, UTF-8. */
    public static byte[] totalsKey(String experiment, String variant, int partition) {
        return (experiment + "|" + variant + "|" + partition).getBytes(StandardCharsets.UTF_8);
    }

    /** Applies one record of topic {@code experiment-totals}; false when its key is malformed. */
    public boolean applyTotals(byte[] key, byte[] value) {
        String[] parts = new String(key, StandardCharsets.UTF_8).split("\\|");
        if (parts.length != 3 || value == null || value.length != VariantTotals.BYTES) {
            return false;
        }
        try {
            putTotals(parts[0], parts[1], Integer.parseInt(parts[2]), VariantTotals.decode(value));
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
