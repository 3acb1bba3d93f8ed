package io.foldin.analysis;

import java.util.List;

/**
 * Polarizing items by factor norm (seed 003 §14.1, Table 7): among items with at least a minimum number of
 * ratings (rare items have unstable vectors), the largest {@code ‖V_i‖} are the most polarizing, the smallest
 * the least.
 */
public final class Polarizing {
    private Polarizing() {
    }

    /** @param most largest norms first; {@code least} smallest first */
    public record Result(List<Ranked> most, List<Ranked> least) {
    }

    public static Result of(ItemModel model, int n, int minRatings) {
        TopN most = new TopN(n);
        TopN least = new TopN(n);
        for (int i = 0; i < model.size(); i++) {
            if (model.counts()[i] >= minRatings) {
                double norm = model.norm(i);
                most.offer(i, norm);
                least.offer(i, -norm);
            }
        }
        List<Ranked> l = least.ranked(model).stream()
                .map(r -> new Ranked(r.index(), r.id(), r.title(), -r.value())).toList();
        return new Result(most.ranked(model), l);
    }
}
