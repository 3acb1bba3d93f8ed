package io.foldin.serve.http;

import io.foldin.stream.event.ParseResult;
import io.foldin.stream.event.RatingEvent;
import io.foldin.stream.event.RatingEventCodec;
import io.foldin.stream.event.RatingEventParser;
import io.foldin.stream.event.Rejection;
import io.foldin.stream.kafka.Topics;
import io.vertx.core.Context;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * POST /ratings: one rating event (schemas/rating-event.schema.json), checked by the same parser the
 * stream uses, so whatever is accepted here is never dead-lettered there; then produced to
 * {@code ratings} under the userId key in its canonical form. 202 once the broker has it.
 */
final class RatingsHandler {
    private final RatingEventParser parser = new RatingEventParser();
    private final Producer<byte[], byte[]> producer;

    RatingsHandler(Producer<byte[], byte[]> producer) {
        this.producer = producer;
    }

    void post(RoutingContext ctx) {
        if (!ctx.body().available() || ctx.body().length() <= 0) {
            throw BodyFault.MISSING_BODY.error("a rating event is required");
        }
        ParseResult parsed = parser.parse(null, ctx.body().buffer().getBytes(), System.currentTimeMillis());
        if (parsed instanceof Rejection r) {
            throw rejected(r);
        }
        RatingEvent e = (RatingEvent) parsed;
        Context vc = ctx.vertx().getOrCreateContext();
        try {
            producer.send(new ProducerRecord<>(Topics.RATINGS, RatingEventCodec.key(e), RatingEventCodec.encode(e)),
                    (meta, err) -> vc.runOnContext(v -> {
                        if (err != null) {
                            ctx.fail(unavailable(err));
                            return;
                        }
                        Views.send(ctx, 202, new JsonObject().put("topic", meta.topic())
                                .put("partition", meta.partition()).put("offset", meta.offset())
                                .put("event", new JsonObject(RatingEventCodec.toJson(e))));
                    }));
        } catch (KafkaException ex) {
            // send() itself throws when metadata does not arrive within max.block.ms or the producer is closed.
            throw unavailable(ex);
        }
    }

    /**
     * The parser's reason code is the error code (the same one the DLQ header would carry), but for the
     * two faults HTTP has its own word for: an oversized event is a 413 like any body over the limit.
     */
    static ApiError rejected(Rejection r) {
        return switch (r.reason()) {
            case VALUE_MISSING -> BodyFault.MISSING_BODY.error(r.message());
            case VALUE_TOO_LARGE -> BodyFault.BODY_TOO_LARGE.error(r.message());
            default -> ApiError.badRequest(r.code(), r.message());
        };
    }

    private static ApiError unavailable(Exception e) {
        return ApiError.unavailable("produce_failed", "Kafka did not take the event: " + e.getMessage());
    }
}
