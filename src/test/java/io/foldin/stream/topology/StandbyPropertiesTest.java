package io.foldin.stream.topology;

import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Issue #17: {@code num.standby.replicas} and {@code application.server} as Kafka Streams gets them. */
class StandbyPropertiesTest {
    @Test
    void standbyReplicasAndApplicationServerArePassedToStreams() {
        StreamConfig c = StreamConfig.defaults("localhost:9092", Path.of("/tmp/x"));
        assertEquals(0, FoldinStreams.properties(c).get(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG));
        StreamConfig s = c.withStandbyReplicas(1).withApplicationServer("foldin-2:8080").withBootstrapServers("k:9092");
        assertEquals(1, FoldinStreams.properties(s).get(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG));
        assertEquals("foldin-2:8080", FoldinStreams.properties(s).get(StreamsConfig.APPLICATION_SERVER_CONFIG));
        assertEquals(1, new StreamsConfig(FoldinStreams.properties(s)).getInt(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG));
    }
}
