package io.foldin.stream.replay;

import java.time.Duration;
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
 * @param deliveryTimeout   how long an event may take from send to acknowledgement, retries included, and how
 *                          long a send may block on metadata or a full buffer; past it the event fails and the
 *                          replay stops sending (see {@link Replayer#producerConfig})
 */
public record ReplayConfig(String bootstrapServers, String topic, double eventsPerSecond, long limit,
                           Map<String, String> producerOverrides, Duration deliveryTimeout) {

    /**
     * Long enough to ride out a broker restart or a leader election (seconds), short enough that a broker
     * that is gone ends the replay with a report instead of retrying for Kafka's default 2 minutes per batch.
     */
    public static final long DEFAULT_DELIVERY_TIMEOUT_MS = 30_000;
    public static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofMillis(DEFAULT_DELIVERY_TIMEOUT_MS);
    /** Below this the producer would time out requests to a healthy but busy broker. */
    public static final Duration MIN_DELIVERY_TIMEOUT = Duration.ofSeconds(1);

    public ReplayConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(deliveryTimeout, "deliveryTimeout");
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
        if (deliveryTimeout.compareTo(MIN_DELIVERY_TIMEOUT) < 0 || deliveryTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("delivery timeout must be in [" + MIN_DELIVERY_TIMEOUT.toMillis()
                    + ", " + Integer.MAX_VALUE + "] ms, got " + deliveryTimeout.toMillis());
        }
        producerOverrides = Map.copyOf(producerOverrides);
    }

    /** With the {@link #DEFAULT_DELIVERY_TIMEOUT}. */
    public ReplayConfig(String bootstrapServers, String topic, double eventsPerSecond, long limit,
                        Map<String, String> producerOverrides) {
        this(bootstrapServers, topic, eventsPerSecond, limit, producerOverrides, DEFAULT_DELIVERY_TIMEOUT);
    }

    public static ReplayConfig of(String bootstrapServers, String topic) {
        return new ReplayConfig(bootstrapServers, topic, 0, 0, Map.of());
    }

    public ReplayConfig withDeliveryTimeout(Duration timeout) {
        return new ReplayConfig(bootstrapServers, topic, eventsPerSecond, limit, producerOverrides, timeout);
    }
}
