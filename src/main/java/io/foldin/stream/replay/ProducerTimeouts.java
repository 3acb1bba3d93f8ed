package io.foldin.stream.replay;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Maps one delivery timeout onto the producer's three timeouts, so that nothing a replay does can wait on
 * the cluster for longer:
 * <ul>
 *   <li>{@code delivery.timeout.ms}: from send() to acknowledgement or failure, retries included;</li>
 *   <li>{@code max.block.ms}: how long send() itself may block, on metadata (no broker answers, the topic is
 *       unknown) or on a full buffer; past it send() throws;</li>
 *   <li>{@code request.timeout.ms}: one request's wait for its response. The producer refuses a delivery
 *       timeout below {@code linger.ms + request.timeout.ms}; half of what is left after the linger lets a
 *       request that timed out be retried once within the delivery timeout, and never more than Kafka's
 *       30 s default.</li>
 * </ul>
 * Applied after the user's overrides, and only to what they did not set themselves.
 */
final class ProducerTimeouts {
    /** Kafka's default request.timeout.ms. */
    private static final long MAX_REQUEST_TIMEOUT_MS = 30_000;

    private ProducerTimeouts() {
    }

    static void apply(Map<String, Object> producer, Duration deliveryTimeout, Map<String, String> overrides) {
        long timeout = deliveryTimeout.toMillis();
        if (!overrides.containsKey(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)) {
            producer.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout);
        }
        if (!overrides.containsKey(ProducerConfig.MAX_BLOCK_MS_CONFIG)) {
            producer.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
        }
        if (!overrides.containsKey(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG)) {
            Object lingerSet = producer.getOrDefault(ProducerConfig.LINGER_MS_CONFIG,
                    ProducerConfig.configDef().defaultValues().get(ProducerConfig.LINGER_MS_CONFIG));
            long linger = Long.parseLong(lingerSet.toString());
            long delivery = Long.parseLong(producer.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG).toString());
            producer.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                    (int) Math.max(1, Math.min(MAX_REQUEST_TIMEOUT_MS, (delivery - linger) / 2)));
        }
    }
}
