package io.foldin.serve.http;

import io.foldin.data.RatingLog;
import io.foldin.serve.FoldinService;
import io.foldin.serve.SampleData;
import io.foldin.serve.ServiceConfig;
import io.foldin.stream.replay.Replayer;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Test helpers around real {@code serve} instances: configs on free ports, sample data, HTTP calls. */
final class RunningService {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RunningService() {
    }

    static int freePort() throws IOException {
        return freePorts(1)[0];
    }

    /** {@code n} different free ports: their probe sockets are open at once, so none comes back twice. */
    static int[] freePorts(int n) throws IOException {
        ServerSocket[] sockets = new ServerSocket[n];
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                sockets[i] = new ServerSocket(0);
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : sockets) {
                if (s != null) {
                    s.close();
                }
            }
        }
    }

    /**
     * A service config for tests: no bundled sample, no timed sweeps, two event loops.
     *
     * @param bootstrap null for an embedded broker on a free port
     */
    static ServiceConfig config(Path dir, String bootstrap, int httpPort) throws IOException {
        return config(dir, bootstrap, httpPort, Map.of());
    }

    /** The same, with {@code extra} settings on top. */
    static ServiceConfig config(Path dir, String bootstrap, int httpPort, Map<String, String> extra) throws IOException {
        Map<String, String> f = new LinkedHashMap<>();
        if (bootstrap != null) {
            f.put("bootstrap.servers", bootstrap);
        } else {
            int kafkaPort = freePort();
            while (kafkaPort == httpPort) {
                kafkaPort = freePort();
            }
            f.put("kafka.port", Integer.toString(kafkaPort));
            f.put("kafka.data.dir", dir.resolve("kafka").toString());
        }
        f.put("state.dir", dir.resolve("state-" + httpPort).toString());
        f.put("http.port", Integer.toString(httpPort));
        f.put("http.event.loops", "2");
        f.put("sample.load", "false");
        f.put("sweep.every.ms", "0");
        f.put("sweep.threads", "1");
        f.put("commit.interval.ms", "100");
        f.putAll(extra);
        return ServiceConfig.load(null, Map.of(), f);
    }

    /** The bundled movies, and the ratings of users with id <= maxUser, produced through Kafka. */
    static int produceSample(String brokers, int maxUser) throws IOException {
        SampleData.produceMovies(brokers, SampleData.movies());
        RatingLog all = SampleData.ratings();
        RatingLog some = new RatingLog();
        for (int k = 0; k < all.size(); k++) {
            int user = all.users().idOf(all.user(k));
            if (user <= maxUser) {
                some.add(user, all.items().idOf(all.item(k)), all.rating(k), all.time(k));
            }
        }
        SampleData.produceRatings(brokers, some, Replayer.Listener.NONE);
        return some.size();
    }

    /** Waits until the instances together have folded in {@code events} rating events on both sides. */
    static void awaitFoldedIn(long events, FoldinService... services) throws InterruptedException {
        await(Duration.ofMinutes(3), () -> {
            long n = 0;
            for (FoldinService s : services) {
                // item updates skipped because a sweep (the early first one) already counted them are taken too
                n += s.metrics().total("foldin_events_total") + s.metrics().total("foldin_item_updates_superseded_total");
            }
            return n >= 2 * events;
        }, "fold-in of " + events + " events");
    }

    static void await(Duration timeout, BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    static HttpResponse<String> get(int port, String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).GET().build());
    }

    static HttpResponse<String> post(int port, String pathAndQuery, String body) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** A POST with this content type, or with none when {@code contentType} is null. */
    static HttpResponse<String> post(int port, String pathAndQuery, String body, String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("content-type", contentType);
        }
        return send(b.build());
    }

    static HttpResponse<String> send(HttpRequest r) {
        try {
            return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(r.method() + " " + r.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
