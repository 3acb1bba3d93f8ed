package io.foldin.serve.http;

import io.foldin.serve.ServiceConfig;

import java.util.Map;

/**
 * The HTTP settings of {@code serve} (keys {@code http.*} in {@link ServiceConfig#DEFAULTS}).
 *
 * @param host                 the address the server binds
 * @param advertisedHost       the host other instances reach this one at (with {@code port}: Streams'
 *                             {@code application.server}); a user it owns is one whose owner is this host:port
 * @param maxBodyBytes         largest accepted request body; larger gets 413
 * @param maxK                 largest {@code k} of any list endpoint
 * @param maxAnonymousRatings  most ratings in one {@code POST /recommendations} body
 * @param eventLoops           event-loop threads (one server verticle each)
 * @param forwardTimeoutMs     how long a forwarded query may take before 503
 * @param scanThreads          threads that run the item scans ({@code BatchScanner})
 * @param scanMaxBatch         most queries one scan pass scores together
 * @param indexMinItems        items from which recommendations are searched in the item index
 *                             ({@code io.foldin.serve.rank.LiveIndex}) rather than by a full scan
 * @param indexProbes          cells an index search visits at most once it holds enough rows
 */
public record HttpSettings(String host, String advertisedHost, int port, int maxBodyBytes, int maxK, int maxAnonymousRatings,
                           int eventLoops, long forwardTimeoutMs, int scanThreads, int scanMaxBatch,
                           int indexMinItems, int indexProbes) {

    public HttpSettings {
        if (maxBodyBytes < 256 || maxK < 1 || maxAnonymousRatings < 1 || eventLoops < 1 || forwardTimeoutMs < 1
                || scanThreads < 1 || scanMaxBatch < 1 || indexMinItems < 0 || indexProbes < 1) {
            throw new IllegalArgumentException("http settings out of range: " + this);
        }
    }

    public static HttpSettings from(ServiceConfig config) {
        Map<String, String> s = config.settings();
        return new HttpSettings(config.httpHost(), config.advertisedHost(), config.httpPort(), integer(s, "http.max.body.bytes"),
                integer(s, "http.max.k"), integer(s, "http.max.anonymous.ratings"), integer(s, "http.event.loops"),
                integer(s, "http.forward.timeout.ms"), integer(s, "http.scan.threads"),
                integer(s, "http.scan.max.batch"), integer(s, "http.index.min.items"), integer(s, "http.index.probes"));
    }

    private static int integer(Map<String, String> s, String k) {
        try {
            return Integer.parseInt(s.get(k).trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(k + " must be an integer, got '" + s.get(k) + "'");
        }
    }
}
