package io.foldin.serve.http;

import io.foldin.experiment.ExperimentBook;
import io.foldin.experiment.Exposure;
import io.foldin.metrics.Metric;
import io.foldin.metrics.Metrics;
import io.foldin.stream.event.UserKey;
import io.foldin.stream.kafka.Topics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Writes the exposures of one served recommendation list to topic {@code exposures}: one record per
 * experiment the user is in, key the userId in decimal with the producer's default partitioner, as
 * {@code ratings} is keyed, so the user task that folds in the user's ratings reads them. The answer
 * waits for the acknowledgements, so what a user saw is in Kafka before the user can rate it; a failed
 * write is logged and counted ({@code foldin_experiment_exposure_failures_total}), the answer still goes out.
 */
final class ExposureLog {
    private static final Logger LOG = LoggerFactory.getLogger(ExposureLog.class);

    private final KafkaProducer<byte[], byte[]> producer;
    private final LongAdder written;
    private final LongAdder failed;

    ExposureLog(KafkaProducer<byte[], byte[]> producer, Metrics metrics) {
        this.producer = producer;
        this.written = metrics.counter(Metric.EXPERIMENT_EXPOSURES);
        this.failed = metrics.counter(Metric.EXPERIMENT_EXPOSURE_FAILURES);
    }

    /** Completes (never fails) once every record is acknowledged or has failed. */
    Future<Void> write(int userId, int[] items, long timeMs, List<ExperimentBook.Assigned> in) {
        Promise<Void> done = Promise.promise();
        AtomicInteger left = new AtomicInteger(in.size());
        byte[] key = UserKey.of(userId);
        for (ExperimentBook.Assigned a : in) {
            byte[] value = new Exposure(a.experiment().name(), a.variant().name(), userId, items, timeMs).encode();
            try {
                producer.send(new ProducerRecord<>(Topics.EXPOSURES, null, timeMs, key, value), (meta, err) -> {
                    if (err != null) {
                        failed.increment();
                        LOG.warn("exposure of user {} in {} not written: {}", userId, a.experiment().name(), err.toString());
                    } else {
                        written.increment();
                    }
                    if (left.decrementAndGet() == 0) {
                        done.tryComplete();
                    }
                });
            } catch (RuntimeException e) {
                failed.increment();
                LOG.warn("exposure of user {} in {} not written: {}", userId, a.experiment().name(), e.toString());
                if (left.decrementAndGet() == 0) {
                    done.tryComplete();
                }
            }
        }
        if (in.isEmpty()) {
            done.tryComplete();
        }
        return done.future();
    }
}
