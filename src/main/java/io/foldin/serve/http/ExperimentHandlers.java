package io.foldin.serve.http;

import io.foldin.experiment.Experiment;
import io.foldin.experiment.ExperimentBook;
import io.foldin.experiment.Readout;
import io.foldin.stream.kafka.Topics;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * {@code /experiments}: define ({@code POST}, admin), list, read out ({@code GET}) and delete
 * ({@code DELETE}, admin) A/B experiments. A definition is a record of the compacted topic
 * {@code experiments} (a deletion its tombstone), which every instance reads into its
 * {@link ExperimentBook}; a change is answered once this instance's book shows it.
 */
final class ExperimentHandlers {
    /** Significance level of the readout's flags. */
    static final double ALPHA = 0.05;
    private static final long VISIBLE_TIMEOUT_MS = 10_000;

    private final ExperimentBook book;
    private final KafkaProducer<byte[], byte[]> producer;

    ExperimentHandlers(ExperimentBook book, KafkaProducer<byte[], byte[]> producer) {
        this.book = book;
        this.producer = producer;
    }

    /** POST /experiments: 201 with the stored definition (a re-definition keeps its createdMs). */
    void define(RoutingContext ctx) {
        Experiment e;
        try {
            e = Experiment.parse(Bodies.object(ctx), System.currentTimeMillis());
        } catch (Experiment.Invalid err) {
            throw ApiError.badRequest(err.code(), err.getMessage());
        }
        Experiment old = book.get(e.name());
        if (old != null) {
            e = new Experiment(e.name(), e.traffic(), e.variants(), old.createdMs());
        }
        Experiment stored = e;
        byte[] value = stored.toJson().encode().getBytes(StandardCharsets.UTF_8);
        send(ctx, stored.name(), value, () -> stored.equals(book.get(stored.name())),
                () -> Views.send(ctx, old == null ? 201 : 200, stored.toJson()));
    }

    /** GET /experiments: every definition, by name. */
    void list(RoutingContext ctx) {
        JsonArray a = new JsonArray();
        book.all().forEach(e -> a.add(e.toJson()));
        Views.send(ctx, 200, new JsonObject().put("experiments", a).put("windowMs", book.windowMs()));
    }

    /** GET /experiments/{name}: the readout. */
    void readout(RoutingContext ctx) {
        Experiment e = known(ctx);
        Views.send(ctx, 200, Readout.of(e, book.totals(e), ALPHA).put("windowMs", book.windowMs()));
    }

    /** DELETE /experiments/{name}: 200 with the definition removed; its totals stay in Kafka. */
    void delete(RoutingContext ctx) {
        Experiment e = known(ctx);
        send(ctx, e.name(), null, () -> book.get(e.name()) == null,
                () -> Views.send(ctx, 200, new JsonObject().put("deleted", e.name())));
    }

    private Experiment known(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        Experiment e = name == null ? null : book.get(name);
        if (e == null) {
            throw ApiError.notFound("unknown_experiment", "no experiment named '" + Params.excerpt(name) + "'");
        }
        return e;
    }

    /** Writes the record, then answers once this instance's book shows it (polled every 20 ms). */
    private void send(RoutingContext ctx, String name, byte[] value, BooleanSupplier visible, Runnable answer) {
        Vertx vertx = ctx.vertx();
        var vc = vertx.getOrCreateContext();
        try {
            producer.send(new ProducerRecord<>(Topics.EXPERIMENTS, name.getBytes(StandardCharsets.UTF_8), value),
                    (meta, err) -> vc.runOnContext(v -> {
                        if (err != null) {
                            ctx.fail(ApiError.unavailable("kafka_unavailable", "the experiment was not written: "
                                    + err.getMessage()));
                            return;
                        }
                        long deadline = System.currentTimeMillis() + VISIBLE_TIMEOUT_MS;
                        vertx.setPeriodic(0, 20, id -> {
                            if (visible.getAsBoolean() || System.currentTimeMillis() > deadline) {
                                vertx.cancelTimer(id);
                                answer.run();
                            }
                        });
                    }));
        } catch (RuntimeException err) {
            throw ApiError.unavailable("kafka_unavailable", "the experiment was not written: " + err.getMessage());
        }
    }
}
