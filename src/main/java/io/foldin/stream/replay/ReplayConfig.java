package io.foldin.stream.replay;

import java.util.Map;
import java.util.Objects;

/**
 * What a {@link Replayer} does.
 *
 * @param bootstrapServers  Kafka to produce to ({@code host:port,...}); replay never starts a broker itself
 * @param topic             target topic; must exist (see {@code --create-topics})
 * @param eventsPerSecond   target rate, 0 = as fast as the producer goes
 * @param limit             produce at most this many events (the earliest by timestamp); 0 = all
 * @param producerOverrides producer configs applied over {@link Replayer}'s measured defaults
 */
public record ReplayConfig(String bootstrapServers, String topic, double eventsPerSecond, long limit,
                           Map<String, String> producerOverrides) {

    public ReplayConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topic, "topic");
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrap servers must not be empty");
        }
        if (topic.isBlank()) {
            throw new IllegalArgumentException("topic must not be empty");
        }
        if (!(eventsPerSecond >= 0) || Double.isInfinite(eventsPerSecond)) {
            throw new IllegalArgumentException("rate must be >= 0 events/s (0 = unpaced), got " + eventsPerSecond);
        }
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0 (0 = all), got " + limit);
        }
        producerOverrides = Map.copyOf(producerOverrides);
    }

    public static ReplayConfig of(String bootstrapServers, String topic) {
        return new ReplayConfig(bootstrapServers, topic, 0, 0, Map.of());
    }
}
