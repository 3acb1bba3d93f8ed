package io.foldin.stream.sweep;

import io.foldin.data.IdIndex;
import io.foldin.model.PackedGram;
import io.foldin.model.SufficientStats;
import io.foldin.stream.live.ModelEpoch;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * A sweep computed by the leader of a gathered sweep, as an instance receives it from {@code sweep-results}
 * ({@link SweepWire.Users}, {@link SweepWire.Items}), and {@link #encode} for the leader's side. Float32 on
 * the wire, as the stores keep statistics (docs/design.md §2.3), so an install here holds the numbers the
 * leader's own install writes to disk.
 */
public final class GatheredOutcome implements SweepOutcome {
    private final int stride;
    private final int gram;
    private final IdIndex users = new IdIndex();
    private final IdIndex items = new IdIndex();
    private final List<float[]> userRows = new ArrayList<>();
    /** Per item: [V; b], then packed G, then h. */
    private final List<float[]> itemRows = new ArrayList<>();
    private final List<Long> itemCounts = new ArrayList<>();
    private ModelEpoch epoch;

    public GatheredOutcome(int factors) {
        this.stride = factors + 1;
        this.gram = PackedGram.size(stride);
    }

    /** Bytes of one item entry of {@link SweepWire.Items}. */
    static int itemEntryBytes(int factors) {
        int n = factors + 1;
        return 4 + 8 + 4 * (2 * n + PackedGram.size(n));
    }

    /** Bytes of one user entry of {@link SweepWire.Users}. */
    static int userEntryBytes(int factors) {
        return 4 + 4 * (factors + 1);
    }

    void addUsers(SweepWire.Users m) {
        ByteBuffer b = m.body().duplicate();
        for (int k = 0; k < m.n(); k++) {
            int id = b.getInt();
            float[] row = new float[stride];
            b.asFloatBuffer().get(row);
            b.position(b.position() + 4 * stride);
            if (users.indexOf(id) < 0) {
                users.add(id);
                userRows.add(row);
            }
        }
    }

    void addItems(SweepWire.Items m) {
        ByteBuffer b = m.body().duplicate();
        int len = 2 * stride + gram;
        for (int k = 0; k < m.n(); k++) {
            int id = b.getInt();
            long count = b.getLong();
            float[] row = new float[len];
            b.asFloatBuffer().get(row);
            b.position(b.position() + 4 * len);
            if (items.indexOf(id) < 0) {
                items.add(id);
                itemRows.add(row);
                itemCounts.add(count);
            }
        }
    }

    void setEpoch(ModelEpoch epoch) {
        this.epoch = epoch;
    }

    @Override
    public ModelEpoch epoch() {
        return epoch;
    }

    @Override
    public boolean userFactor(int userId, float[] out) {
        int u = users.indexOf(userId);
        if (u < 0) {
            return false;
        }
        System.arraycopy(userRows.get(u), 0, out, 0, stride);
        return true;
    }

    @Override
    public boolean itemFactor(int itemId, float[] out) {
        int i = items.indexOf(itemId);
        if (i < 0) {
            return false;
        }
        System.arraycopy(itemRows.get(i), 0, out, 0, stride);
        return true;
    }

    @Override
    public boolean itemStats(int itemId, SufficientStats stats, float[] factor, double[] tmp) {
        int i = items.indexOf(itemId);
        if (i < 0) {
            return false;
        }
        float[] row = itemRows.get(i);
        stats.load(row, stride, stride + gram, itemCounts.get(i));
        System.arraycopy(row, 0, factor, 0, stride);
        return true;
    }

    @Override
    public int itemRatings(int itemId) {
        int i = items.indexOf(itemId);
        return i < 0 ? 0 : (int) (long) itemCounts.get(i);
    }

    @Override
    public void forEachItem(IntConsumer item) {
        for (int i = 0; i < items.size(); i++) {
            item.accept(items.idOf(i));
        }
    }

    /**
     * The leader's side: a sweep's users and items as {@link SweepWire.Users} and {@link SweepWire.Items} records
     * of at most {@link SweepWire#RESULT_BYTES_PER_RECORD} bytes each, handed to {@code out} in order.
     */
    static void write(SweepResult r, int factors, Consumer<SweepWire.Message> out) {
        int epoch = r.epoch().epoch();
        float[] factor = new float[factors + 1];
        int userBytes = userEntryBytes(factors);
        int perRecord = Math.max(1, SweepWire.RESULT_BYTES_PER_RECORD / userBytes);
        ByteBuffer b = ByteBuffer.allocate(perRecord * userBytes);
        int n = 0;
        for (int u = 0; u < r.users().size(); u++) {
            int id = r.users().idOf(u);
            r.userFactor(id, factor);
            putUser(b, id, factor);
            if (++n == perRecord || u == r.users().size() - 1) {
                out.accept(new SweepWire.Users(epoch, n, b.flip()));
                b = ByteBuffer.allocate(perRecord * userBytes);
                n = 0;
            }
        }
        int itemBytes = itemEntryBytes(factors);
        perRecord = Math.max(1, SweepWire.RESULT_BYTES_PER_RECORD / itemBytes);
        SufficientStats stats = new SufficientStats(factors);
        double[] tmp = new double[factors + 1];
        b = ByteBuffer.allocate(perRecord * itemBytes);
        for (int i = 0; i < r.items().size(); i++) {
            int id = r.items().idOf(i);
            r.itemStats(id, stats, factor, tmp);
            putItem(b, id, stats, factor);
            if (++n == perRecord || i == r.items().size() - 1) {
                out.accept(new SweepWire.Items(epoch, n, b.flip()));
                b = ByteBuffer.allocate(perRecord * itemBytes);
                n = 0;
            }
        }
    }

    /** One user entry: id and [U; b] as float32. */
    static void putUser(ByteBuffer b, int userId, float[] factor) {
        b.putInt(userId);
        for (float f : factor) {
            b.putFloat(f);
        }
    }

    /** One item entry: id, count, factor, packed G and h as float32. */
    static void putItem(ByteBuffer b, int itemId, SufficientStats s, float[] factor) {
        b.putInt(itemId).putLong(s.count());
        for (float f : factor) {
            b.putFloat(f);
        }
        for (double g : s.gram()) {
            b.putFloat((float) g);
        }
        for (double h : s.target()) {
            b.putFloat((float) h);
        }
    }
}
