package io.foldin.serve;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue #17: the host Streams advertises as {@code application.server}, and {@code num.standby.replicas}. */
class ServiceConfigTest {
    private static ServiceConfig load(Map<String, String> env, Map<String, String> flags) throws Exception {
        return ServiceConfig.load(null, env, flags);
    }

    @Test
    void theBindHostIsAdvertisedWhenItNamesAnAddress() throws Exception {
        ServiceConfig c = load(Map.of(), Map.of("http.port", "8123"));
        assertEquals("127.0.0.1", c.advertisedHost());
        assertEquals("127.0.0.1:8123", c.stream().applicationServer());
        c = load(Map.of("FOLDIN_HTTP_HOST", "10.1.2.3"), Map.of());
        assertEquals("10.1.2.3:8080", c.stream().applicationServer());
    }

    /** A wildcard names no machine: forwarding to 0.0.0.0:8080 would reach the forwarder itself. */
    @Test
    void aWildcardBindHostAdvertisesThisMachinesHostname() throws Exception {
        String hostname = InetAddress.getLocalHost().getHostName();
        for (String wildcard : new String[]{"0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0"}) {
            ServiceConfig c = load(Map.of("FOLDIN_HTTP_HOST", wildcard), Map.of());
            assertEquals(wildcard, c.httpHost());
            assertEquals(hostname, c.advertisedHost(), wildcard);
            assertEquals(hostname + ":8080", c.stream().applicationServer(), wildcard);
        }
        assertFalse(ServiceConfig.isWildcard("::1"));
        assertFalse(ServiceConfig.isWildcard("foldin-1"));
    }

    /** Set: wins over the bind host; environment as FOLDIN_HTTP_ADVERTISED_HOST, later sources win as for any setting. */
    @Test
    void anAdvertisedHostSetWins() throws Exception {
        ServiceConfig c = load(Map.of("FOLDIN_HTTP_HOST", "0.0.0.0", "FOLDIN_HTTP_ADVERTISED_HOST", "foldin-2"), Map.of());
        assertEquals("0.0.0.0", c.httpHost());
        assertEquals("foldin-2:8080", c.stream().applicationServer());
        c = load(Map.of("FOLDIN_HTTP_ADVERTISED_HOST", "foldin-2"), Map.of("http.advertised.host", "foldin-3"));
        assertEquals("foldin-3:8080", c.stream().applicationServer());
        assertEquals("127.0.0.1", c.httpHost(), "binding is not changed by what is advertised");
    }

    /** serve resolves port 0 before Streams starts: the port other instances forward to is the one bound. */
    @Test
    void aResolvedPortIsAdvertised() throws Exception {
        ServiceConfig c = load(Map.of("FOLDIN_HTTP_ADVERTISED_HOST", "foldin-2"), Map.of("http.port", "0"));
        assertEquals(0, c.httpPort());
        ServiceConfig bound = c.withHttpPort(41234);
        assertEquals(41234, bound.httpPort());
        assertEquals("foldin-2:41234", bound.stream().applicationServer());
        assertEquals("41234", bound.settings().get("http.port"));
    }

    @Test
    void standbyReplicasReachStreamsAndSurviveTheBrokersAddress() throws Exception {
        assertEquals(0, load(Map.of(), Map.of()).stream().standbyReplicas());
        ServiceConfig c = load(Map.of("FOLDIN_NUM_STANDBY_REPLICAS", "1"), Map.of());
        assertEquals(1, c.stream().standbyReplicas());
        // serve learns an embedded broker's address late: the standby setting must survive that copy
        assertEquals(1, c.streamFor("localhost:9092").standbyReplicas());
        assertEquals(1, c.withHttpPort(9000).stream().standbyReplicas());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> load(Map.of(), Map.of("num.standby.replicas", "-1"))).getMessage().contains("num.standby.replicas"));
    }

    /** The implicit.* settings: the offline defaults unless set, parsed into one StreamConfig.Implicit, bad ones refused. */
    @Test
    void implicitSettingsDefaultToTheOfflineOnes() throws Exception {
        var i = load(Map.of(), Map.of()).stream().implicit();
        assertFalse(i.enabled(), "off by default: it costs two thirds of the stream's throughput");
        assertEquals(io.foldin.model.ImplicitParams.DEFAULT, i.params());
        assertEquals(4.0, i.threshold());
        assertEquals(io.foldin.model.ImplicitTrainer.DEFAULT_SWEEPS, i.iterations());
        i = load(Map.of("FOLDIN_IMPLICIT_ALPHA", "5"), Map.of("implicit.enabled", "true", "implicit.factors", "8",
                "implicit.lambda", "2", "implicit.threshold", "3.5", "implicit.iterations", "4")).stream().implicit();
        assertTrue(i.enabled());
        assertEquals(new io.foldin.model.ImplicitParams(8, 5, 2), i.params());
        assertEquals(3.5, i.threshold());
        assertEquals(4, i.iterations());
        assertEquals(1f, i.ratingWeight(3.5f));
        assertEquals(0f, i.ratingWeight(3.0f));
        assertThrows(IllegalArgumentException.class, () -> load(Map.of(), Map.of("implicit.lambda", "0")));
        assertThrows(IllegalArgumentException.class, () -> load(Map.of(), Map.of("implicit.iterations", "0")));
        assertThrows(IllegalArgumentException.class, () -> load(Map.of(), Map.of("implicit.enabled", "yes")));
    }
}
