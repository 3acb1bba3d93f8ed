package io.foldin.experiment;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;

/**
 * One recommendation list served to a user in an experiment: the value of topic {@code exposures}
 * (JSON, schemas/exposure.schema.json), key the userId in decimal.
 *
 * @param timeMs when it was served (epoch milliseconds); outcomes are ratings within the window after it
 */
public record Exposure(String experiment, String variant, int userId, int[] items, long timeMs) {

    public byte[] encode() {
        JsonArray a = new JsonArray();
        for (int i : items) {
            a.add(i);
        }
        return new JsonObject().put("experiment", experiment).put("variant", variant).put("userId", userId)
                .put("items", a).put("timeMs", timeMs).encode().getBytes(StandardCharsets.UTF_8);
    }

    /** The record, or null when the bytes are not a valid exposure. */
    public static Exposure decode(byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            JsonObject o = new JsonObject(new String(value, StandardCharsets.UTF_8));
            JsonArray a = o.getJsonArray("items");
            int[] items = new int[a.size()];
            for (int i = 0; i < items.length; i++) {
                items[i] = a.getInteger(i);
            }
            String e = o.getString("experiment");
            String v = o.getString("variant");
            Integer u = o.getInteger("userId");
            Long t = o.getLong("timeMs");
            if (e == null || v == null || u == null || u < 0 || t == null) {
                return null;
            }
            return new Exposure(e, v, u, items, t);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
