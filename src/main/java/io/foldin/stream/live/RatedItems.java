package io.foldin.stream.live;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * The items each local user has rated, in memory, so that a recommendation excludes them without
 * reading the user-ratings store per request (on the twin, those reads were half of the event loops'
 * time). A cache in front of that store, per user partition: a user's entry is loaded from the store on
 * its first read, kept current by the user fold-in, and dropped when the index holds more than its
 * bound of item ids, to be loaded again when next asked for. The user fold-in reads it too, to tell a
 * user's new pair (nearly every event) from a re-rate without a store read that misses.
 *
 * <p>Why a load cannot miss a concurrent rating: the fold-in writes the store first and then calls
 * {@link #added}, a {@code computeIfPresent}; the load runs inside {@code computeIfAbsent}, which holds
 * the key's bin lock, so that call waits for the load to finish. A rating the load's range read missed
 * is therefore added after it; one it saw is added twice, and adding is idempotent.
 *
 * <p>Per partition: a task that moves away and comes back starts from an empty map, never from entries
 * that missed the ratings folded in elsewhere meanwhile.
 */
public final class RatedItems {
    /** Item ids ever held at once, by default: 64 MB of ids, the ratings of ml-32m's most active half. */
    public static final long DEFAULT_MAX_ITEMS = 16_000_000L;

    /** Reads a user's rated items, ascending, from the user-ratings store. */
    public interface Loader {
        int[] load(int userId);
    }

    private final long maxItems;
    private final AtomicLong items = new AtomicLong();
    private final ConcurrentHashMap<Integer, ConcurrentHashMap<Integer, ItemSet>> partitions = new ConcurrentHashMap<>();

    public RatedItems(long maxItems) {
        if (maxItems < 1) {
            throw new IllegalArgumentException("maxItems must be positive");
        }
        this.maxItems = maxItems;
    }

    /** A task of the partition starts: entries are kept from now on, starting empty. */
    public void open(int partition) {
        ConcurrentHashMap<Integer, ItemSet> old = partitions.put(partition, new ConcurrentHashMap<>());
        if (old != null) {
            forget(old);
        }
    }

    /** The partition's task closed here: its entries are dropped. */
    public void close(int partition) {
        ConcurrentHashMap<Integer, ItemSet> old = partitions.remove(partition);
        if (old != null) {
            forget(old);
        }
    }

    /** The user's rated items: from the index, else from {@code loader} (kept when the partition is open here). */
    public ItemSet get(int partition, int userId, Loader loader) {
        ConcurrentHashMap<Integer, ItemSet> users = partitions.get(partition);
        if (users == null) {
            return ItemSet.of(loader.load(userId));
        }
        ItemSet got = users.get(userId);
        if (got != null) {
            return got;
        }
        got = users.computeIfAbsent(userId, u -> {
            ItemSet loaded = ItemSet.of(loader.load(u));
            items.addAndGet(loaded.size());
            return loaded;
        });
        trim(users);
        return got;
    }

    /** The fold-in stored a rating of {@code itemId} by the user (new or re-rated). */
    public void added(int partition, int userId, int itemId) {
        ConcurrentHashMap<Integer, ItemSet> users = change(partition, userId, a -> a.with(itemId));
        if (users != null) {
            trim(users);
        }
    }

    /** The fold-in deleted the user's rating of {@code itemId}. */
    public void removed(int partition, int userId, int itemId) {
        change(partition, userId, a -> a.without(itemId));
    }

    /** Applies {@code op} to the user's entry if it is held; returns the partition's map, null if not open here. */
    private ConcurrentHashMap<Integer, ItemSet> change(int partition, int userId, UnaryOperator<ItemSet> op) {
        ConcurrentHashMap<Integer, ItemSet> users = partitions.get(partition);
        if (users != null) {
            users.computeIfPresent(userId, (u, a) -> {
                ItemSet b = op.apply(a);
                items.addAndGet(b.size() - a.size());
                return b;
            });
        }
        return users;
    }

    /** Item ids held now, all partitions. */
    public long size() {
        return items.get();
    }

    /** Past the bound, drops entries of this partition (in hash order) to 90% of it. */
    private void trim(ConcurrentHashMap<Integer, ItemSet> users) {
        if (items.get() <= maxItems) {
            return;
        }
        long target = maxItems - maxItems / 10;
        Iterator<Integer> it = users.keySet().iterator();
        while (items.get() > target && it.hasNext()) {
            ItemSet gone = users.remove(it.next());
            if (gone != null) {
                items.addAndGet(-gone.size());
            }
        }
    }

    private void forget(ConcurrentHashMap<Integer, ItemSet> users) {
        for (ItemSet a : users.values()) {
            items.addAndGet(-a.size());
        }
    }
}
