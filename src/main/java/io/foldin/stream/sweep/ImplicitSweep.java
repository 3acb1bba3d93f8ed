package io.foldin.stream.sweep;

import io.foldin.data.IdIndex;
import io.foldin.data.RatingLog;
import io.foldin.data.RatingMatrix;
import io.foldin.model.Factors;
import io.foldin.model.ImplicitParams;
import io.foldin.model.ImplicitStats;
import io.foldin.model.ImplicitTrainer;
import io.foldin.stream.live.ImplicitTable;
import io.foldin.stream.live.LiveModel;
import io.foldin.stream.topology.StreamConfig;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The implicit-ALS sweep of the stream (docs/design.md §1.9, §2.8): run by {@link SweepCoordinator} in the explicit
 * sweep's stop-the-world window, after the explicit fit. It collects every stored pair weight from the implicit user
 * tasks (in partition order, each in its store's (user, item) order, as the explicit sweep collects ratings), runs
 * {@code implicit.iterations} iALS sweeps ({@link ImplicitTrainer}) warm-started from the live tables' vectors (a
 * seeded small random start for an id without one or with a zero one), and writes every vector into the live tables before any task
 * resumes. The {@link Outcome} is then installed by each implicit task before its next event: the user tasks
 * publish their users' vectors, the item tasks rebuild their items' S and h from the final user vectors
 * ({@link Outcome#itemStats}) and publish theirs.
 */
public final class ImplicitSweep {
    /** Seed of the start of vectors that have none in the live tables. */
    static final long SEED = 42;
    private static final double START_SCALE = 0.01;

    /** An implicit user task: its stored pair weights. */
    public interface UserTask {
        int partition();

        /** Every pair with weight &gt; 0, in key order (user, then item). */
        void collect(WeightSink sink);
    }

    public interface WeightSink {
        void add(int user, int item, float weight);
    }

    private final StreamConfig.Implicit config;
    private final LiveModel live;
    private final int threads;
    private final Map<String, UserTask> userTasks = new ConcurrentHashMap<>();
    private volatile Outcome latest;

    public ImplicitSweep(StreamConfig.Implicit config, LiveModel live, int threads) {
        this.config = config;
        this.live = live;
        this.threads = threads;
    }

    public void register(String task, UserTask t) {
        userTasks.put(task, t);
    }

    public void unregister(String task) {
        userTasks.remove(task);
    }

    /** The last sweep's outcome on this instance, or null: each task installs it once (by epoch). */
    public Outcome latest() {
        return latest;
    }

    /** With every user task stopped: collects the weights of every task here, fits, fills the tables, stages. */
    Outcome run(int epoch) {
        RatingLog log = new RatingLog();
        List<UserTask> ordered = new ArrayList<>(userTasks.values());
        ordered.sort(Comparator.comparingInt(UserTask::partition));
        for (UserTask t : ordered) {
            t.collect((user, item, w) -> log.add(user, item, w, 0));
        }
        return fit(epoch, log);
    }

    /** Fits the gathered weights (ids indexed in the order they came) and installs the vectors in the tables. */
    Outcome fit(int epoch, RatingLog log) {
        ImplicitParams p = config.params();
        RatingMatrix m = RatingMatrix.of(log);
        Factors users = start(log.users(), live.implicitUsers(), SEED);
        Factors items = start(log.items(), live.implicitItems(), SEED ^ 0x9E37_79B9_7F4A_7C15L);
        try (ImplicitTrainer trainer = new ImplicitTrainer(p, threads)) {
            for (int it = 0; it < config.iterations(); it++) {
                trainer.sweep(users, items, m);
            }
        }
        Outcome o = new Outcome(epoch, p, log.users(), log.items(), m, users, items);
        o.putInto(live.implicitUsers(), live.implicitItems());
        latest = o;
        return o;
    }

    /**
     * The warm start: each id's current row, else the seeded random one. A zero row counts as none: before the
     * first sweep every fold-in solves to 0 (no item has a vector yet), and iALS started at 0 stays there.
     */
    private static Factors start(IdIndex ids, ImplicitTable table, long seed) {
        Factors f = Factors.random(ids.size(), table.factors(), START_SCALE, seed);
        float[] row = new float[table.factors()];
        for (int k = 0; k < ids.size(); k++) {
            if (table.get(ids.idOf(k), row) && !zero(row)) {
                System.arraycopy(row, 0, f.data(), f.offset(k), row.length);
            }
        }
        return f;
    }

    private static boolean zero(float[] v) {
        for (float a : v) {
            if (a != 0f) {
                return false;
            }
        }
        return true;
    }

    /** A finished implicit sweep: ids, their vectors, and the weights the item statistics are rebuilt from. */
    public record Outcome(int epoch, ImplicitParams params, IdIndex userIds, IdIndex itemIds, RatingMatrix weights,
                          Factors users, Factors items) {

        void putInto(ImplicitTable userTable, ImplicitTable itemTable) {
            float[] row = new float[params.factors()];
            for (int k = 0; k < userIds.size(); k++) {
                System.arraycopy(users.data(), users.offset(k), row, 0, row.length);
                userTable.put(userIds.idOf(k), row);
            }
            for (int k = 0; k < itemIds.size(); k++) {
                System.arraycopy(items.data(), items.offset(k), row, 0, row.length);
                itemTable.put(itemIds.idOf(k), row);
            }
        }

        /** The user's vector (D floats) into out; false if the sweep did not see the user. */
        public boolean user(int id, float[] out) {
            int k = userIds.indexOf(id);
            if (k < 0) {
                return false;
            }
            System.arraycopy(users.data(), users.offset(k), out, 0, params.factors());
            return true;
        }

        /** The item's vector into out; false if the sweep did not see the item. */
        public boolean item(int id, float[] out) {
            int k = itemIds.indexOf(id);
            if (k < 0) {
                return false;
            }
            System.arraycopy(items.data(), items.offset(k), out, 0, params.factors());
            return true;
        }

        /** Item ids of the sweep, for the item tasks to pick theirs. */
        public int[] itemIdList() {
            return itemIds.ids();
        }

        /**
         * The item's statistics from the final user vectors: {@code S_i = Σ_u α w_ui x_u x_uᵀ},
         * {@code h_i = Σ_u (1 + α w_ui) x_u}; false (out cleared) if the sweep did not see the item.
         */
        public boolean itemStats(int id, ImplicitStats out) {
            out.clear();
            int k = itemIds.indexOf(id);
            if (k < 0) {
                return false;
            }
            RatingMatrix.Csr byItem = weights.byItem();
            for (int e = byItem.start()[k]; e < byItem.start()[k + 1]; e++) {
                int u = byItem.cols()[e];
                out.change(users.data(), users.offset(u), 0, byItem.values()[e], params.alpha());
            }
            return true;
        }
    }
}
