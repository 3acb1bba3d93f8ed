package io.foldin.stream.kafka;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Options of an {@link EmbeddedKafka} broker.
 *
 * @param dataDir     log directory of the broker; formatted on first use, reused (same cluster id, same
 *                    topics and records) on later starts
 * @param port        client (PLAINTEXT) listener port on 127.0.0.1; 0 picks a free port
 * @param wipeOnClose delete {@code dataDir} after the broker has shut down (tests, throwaway runs)
 */
public record EmbeddedKafkaConfig(Path dataDir, int port, boolean wipeOnClose) {

    public EmbeddedKafkaConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
        }
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    /** {@code ${java.io.tmpdir}/foldin-kafka}, a free port, data kept on close so a restart resumes. */
    public static EmbeddedKafkaConfig defaults() {
        return new EmbeddedKafkaConfig(Path.of(System.getProperty("java.io.tmpdir"), "foldin-kafka"), 0, false);
    }

    public EmbeddedKafkaConfig withDataDir(Path dir) {
        return new EmbeddedKafkaConfig(dir, port, wipeOnClose);
    }

    public EmbeddedKafkaConfig withPort(int newPort) {
        return new EmbeddedKafkaConfig(dataDir, newPort, wipeOnClose);
    }

    public EmbeddedKafkaConfig withWipeOnClose(boolean wipe) {
        return new EmbeddedKafkaConfig(dataDir, port, wipe);
    }
}
