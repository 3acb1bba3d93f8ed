package io.foldin.stream.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.foldin.stream.live.ItemCatalog;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Parses an item event ({@code schemas/item-event.schema.json}): itemId, title, genres; unknown
 * fields ignored. Returns null for anything that does not conform, with the reason in
 * {@link Result#error()}.
 */
public final class ItemEventParser {
    public static final int MAX_VALUE_BYTES = 16 * 1024;

    /** @param item the item, or null with {@code error} saying why */
    public record Result(ItemCatalog.Item item, String error) {
    }

    private final JsonFactory json = new JsonFactory();

    public Result parse(byte[] value) {
        if (value == null || value.length == 0) {
            return new Result(null, "value is missing");
        }
        if (value.length > MAX_VALUE_BYTES) {
            return new Result(null, "value has " + value.length + " bytes, limit " + MAX_VALUE_BYTES);
        }
        long id = -1;
        String title = null;
        List<String> genres = new ArrayList<>();
        try (JsonParser p = json.createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return new Result(null, "not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "itemId" -> {
                        if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT
                                || p.getIntValue() < 0) {
                            return new Result(null, "itemId must be an integer in [0, 2147483647]");
                        }
                        id = p.getIntValue();
                    }
                    case "title" -> {
                        if (t != JsonToken.VALUE_STRING || p.getText().isEmpty() || p.getText().length() > 1000) {
                            return new Result(null, "title must be a string of 1 to 1000 characters");
                        }
                        title = p.getText();
                    }
                    case "genres" -> {
                        if (t != JsonToken.START_ARRAY) {
                            return new Result(null, "genres must be an array of strings");
                        }
                        LinkedHashSet<String> seen = new LinkedHashSet<>();
                        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                            if (t != JsonToken.VALUE_STRING || p.getText().isEmpty() || !seen.add(p.getText())) {
                                return new Result(null, "genres must be distinct non-empty strings");
                            }
                        }
                        genres.addAll(seen);
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (IOException | RuntimeException e) {
            return new Result(null, "unparsable JSON: " + Excerpt.of(String.valueOf(e.getMessage())));
        }
        if (id < 0 || title == null) {
            return new Result(null, "itemId and title are required");
        }
        return new Result(new ItemCatalog.Item((int) id, title, genres), null);
    }
}
