package io.foldin.stream.live;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Titles and genres of items, fed from the compacted {@code items} topic on every instance. */
public final class ItemCatalog {

    /** @param genres genre names, possibly empty */
    public record Item(int itemId, String title, List<String> genres) {
        public Item {
            genres = List.copyOf(genres);
        }
    }

    private final Map<Integer, Item> items = new ConcurrentHashMap<>();

    public void put(Item item) {
        items.put(item.itemId(), item);
    }

    /** The item, or null when no metadata has arrived for it. */
    public Item get(int itemId) {
        return items.get(itemId);
    }

    public int size() {
        return items.size();
    }

    public Iterable<Item> all() {
        return items.values();
    }
}
