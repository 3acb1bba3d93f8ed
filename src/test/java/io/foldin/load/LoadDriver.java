package io.foldin.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An open-loop load generator for a running {@code serve}, in its own process: requests are
 * started on a fixed schedule whatever the answers do, and each latency is measured from the time
 * the request was due, so a stalled server shows as latency instead of as fewer requests
 * (no coordinated omission). A weighted mix of endpoints; percentiles per endpoint.
 *
 * <pre>
 * java -cp target/foldin.jar:target/test-classes io.foldin.load.LoadDriver \
 *   --url http://127.0.0.1:8080 --rate 2000 --seconds 60 --warmup 10 --users 1-610 \
 *   --mix recommendations=70,similar=10,prediction=10,rating=10 [--freshness 200]
 * </pre>
 * {@code --freshness N}: N times, spread evenly over the measured seconds: read a user's top item, POST
 * a rating of it and poll that user's recommendations every 5 ms until the item is gone; reports the
 * delay percentiles. Spread, the probes sample the steady state the latencies describe; probes at the
 * same spacing run through the warm-up unrecorded, so their request path (POST /ratings, which the mix
 * may not use) is compiled before the measurement, as the mix's is.
 * {@code --ramp S}: the rate rises linearly from 0 to {@code --rate} over S seconds before the warm-up,
 * so that the server and this JVM compile their request paths under load that grows (a cold start at
 * full rate queues requests faster than the interpreter drains them); neither phase is recorded.
 * {@code --users-file FILE} (one id per line, e.g. from {@code replay --users-out}) draws users from the
 * file instead of the {@code --users} range, so that every request is about a user that exists.
 */
public final class LoadDriver {
    private final Map<String, String> opts;
    private final Map<String, LatencyHistogram> hist = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> statuses = new ConcurrentHashMap<>();
    private final AtomicLong inFlight = new AtomicLong();
    /** All measured requests by the 5-second window of their intended start, to tell a start-up backlog from steady state. */
    private final Map<Integer, LatencyHistogram> windows = new ConcurrentHashMap<>();
    private final AtomicLong dropped = new AtomicLong();

    private LoadDriver(Map<String, String> opts) {
        this.opts = opts;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>(Map.of("url", "http://127.0.0.1:8080", "rate", "2000",
                "seconds", "60", "warmup", "10", "users", "1-610", "connections", "64", "k", "10",
                "mix", "recommendations=70,similar=10,prediction=10,rating=10", "freshness", "0", "ramp", "0"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        new LoadDriver(o).run();
        System.exit(0);
    }

    private void run() throws Exception {
        java.net.URI base = java.net.URI.create(opts.get("url"));
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        int conns = Integer.parseInt(opts.get("connections"));
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                .setDefaultHost(base.getHost()).setDefaultPort(base.getPort()),
                new PoolOptions().setHttp1MaxSize(conns).setMaxWaitQueueSize(-1));
        int[] items = popularItems(client);
        int[] users = users();
        List<String> names = new ArrayList<>();
        List<Integer> weights = new ArrayList<>();
        for (String kv : opts.get("mix").split(",")) {
            String[] p = kv.split("=");
            names.add(p[0]);
            weights.add(Integer.parseInt(p[1]));
        }
        int totalWeight = weights.stream().mapToInt(Integer::intValue).sum();
        double rate = Double.parseDouble(opts.get("rate"));
        Schedule schedule = new Schedule(rate, TimeUnit.SECONDS.toNanos(Long.parseLong(opts.get("ramp"))));
        // the ramp and the warm-up are not recorded: measurement starts once both are over
        long warmupNs = schedule.rampNs + TimeUnit.SECONDS.toNanos(Long.parseLong(opts.get("warmup")));
        long runNs = TimeUnit.SECONDS.toNanos(Long.parseLong(opts.get("seconds")));
        SplittableRandom rnd = new SplittableRandom(42);
        long start = System.nanoTime();
        long[] sent = {0};
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<List<Long>> fresh = new CompletableFuture<>();
        int freshness = Integer.parseInt(opts.get("freshness"));
        if (freshness > 0) {
            new Freshness(vertx, client, users, Integer.parseInt(opts.get("k")), freshness,
                    start + schedule.rampNs, start + warmupNs, runNs / freshness).start(fresh);
        } else {
            fresh.complete(List.of());
        }
        vertx.setPeriodic(1, id -> {
            long now = System.nanoTime();
            long due = schedule.due(now - start);
            while (sent[0] < due) {
                long intended = start + schedule.at(sent[0]);
                sent[0]++;
                int w = rnd.nextInt(totalWeight);
                int e = 0;
                while (w >= weights.get(e)) {
                    w -= weights.get(e++);
                }
                int window = intended - start >= warmupNs ? (int) ((intended - start) / 5_000_000_000L) : -1;
                fire(client, names.get(e), rnd, items, users, intended, window);
            }
            if (now - start > warmupNs + runNs) {
                vertx.cancelTimer(id);
                done.complete(null);
            }
        });
        done.get();
        List<Long> freshDelays = fresh.get(10, TimeUnit.MINUTES);
        Thread.sleep(2000);
        report(runNs / 1e9, freshDelays);
        vertx.close();
    }

    /**
     * Intended start of each request, relative to the driver's start: a linear ramp to {@code rate} over
     * {@code rampNs} (request n at {@code sqrt(2 n R / rate)}), then {@code rate} per second.
     */
    static final class Schedule {
        final double perNs;
        final long rampNs;
        private final double rampCount;

        Schedule(double ratePerS, long rampNs) {
            this.perNs = ratePerS / 1e9;
            this.rampNs = rampNs;
            this.rampCount = perNs * rampNs / 2;
        }

        /** Requests due by {@code t} ns after the start: those whose intended start is at most {@code t}. */
        long due(long t) {
            return 1 + (long) (t < rampNs ? perNs * t * t / (2.0 * rampNs) : rampCount + perNs * (t - rampNs));
        }

        /** Intended start of request {@code n}, in ns after the start. */
        long at(long n) {
            return (long) (n < rampCount ? Math.sqrt(2.0 * n * rampNs / perNs) : rampNs + (n - rampCount) / perNs);
        }
    }

    /** The user ids to draw from: the lines of --users-file, else the --users range. */
    private int[] users() throws java.io.IOException {
        String file = opts.get("users-file");
        if (file != null) {
            int[] ids = java.nio.file.Files.readAllLines(java.nio.file.Path.of(file)).stream().map(String::trim)
                    .filter(l -> !l.isEmpty()).mapToInt(Integer::parseInt).toArray();
            if (ids.length == 0) {
                throw new IllegalArgumentException(file + " lists no users");
            }
            return ids;
        }
        String[] range = opts.get("users").split("-");
        return java.util.stream.IntStream.rangeClosed(Integer.parseInt(range[0]), Integer.parseInt(range[1])).toArray();
    }

    /** One request; {@code window}: the 5-second window of its intended start, -1 in the warm-up (not recorded). */
    private void fire(HttpClient client, String name, SplittableRandom rnd, int[] items, int[] users,
                      long intended, int window) {
        int user = users[rnd.nextInt(users.length)];
        int item = items[rnd.nextInt(items.length)];
        RequestOptions r = new RequestOptions().setTimeout(30_000);
        Buffer body = null;
        switch (name) {
            case "recommendations" -> r.setURI("/users/" + user + "/recommendations?k=" + opts.get("k"));
            case "similar" -> r.setURI("/items/" + item + "/similar?k=" + opts.get("k"));
            case "prediction" -> r.setURI("/users/" + user + "/items/" + item + "/prediction");
            case "rating" -> {
                r.setMethod(HttpMethod.POST).setURI("/ratings").putHeader("content-type", "application/json");
                body = Buffer.buffer("{\"userId\":" + user + ",\"itemId\":" + item + ",\"rating\":"
                        + (rnd.nextInt(1, 11) * 0.5) + "}");
            }
            default -> throw new IllegalArgumentException("unknown endpoint in --mix: " + name);
        }
        Buffer b = body;
        inFlight.incrementAndGet();
        client.request(r).compose(req -> b == null ? req.send() : req.send(b))
                .compose(resp -> resp.body().map(x -> resp.statusCode()))
                .onComplete(ar -> {
                    inFlight.decrementAndGet();
                    if (window < 0) {
                        return;
                    }
                    long us = (System.nanoTime() - intended) / 1000;
                    hist.computeIfAbsent(name, k -> new LatencyHistogram()).record(us);
                    hist.computeIfAbsent("all", k -> new LatencyHistogram()).record(us);
                    windows.computeIfAbsent(window, k -> new LatencyHistogram()).record(us);
                    String s = ar.succeeded() ? Integer.toString(ar.result()) : "error";
                    statuses.computeIfAbsent(name + " " + s, k -> new AtomicLong()).incrementAndGet();
                });
    }

    private int[] popularItems(HttpClient client) throws Exception {
        JsonObject j = client.request(new RequestOptions().setURI("/items/popular?k=1000"))
                .compose(req -> req.send()).compose(resp -> resp.body()).map(Buffer::toJsonObject)
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        JsonArray a = j.getJsonArray("items");
        int[] ids = new int[a.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = a.getJsonObject(i).getInteger("itemId");
        }
        if (ids.length == 0) {
            throw new IllegalStateException("the service has no items yet");
        }
        return ids;
    }

    private void report(double seconds, List<Long> fresh) {
        JsonObject out = new JsonObject().put("rate_target", Double.parseDouble(opts.get("rate")))
                .put("seconds", seconds).put("connections", Integer.parseInt(opts.get("connections")));
        for (Map.Entry<String, LatencyHistogram> e : new java.util.TreeMap<>(hist).entrySet()) {
            LatencyHistogram h = e.getValue();
            out.put(e.getKey(), new JsonObject().put("count", h.count())
                    .put("throughput_per_s", Math.round(h.count() / seconds))
                    .put("p50_ms", h.quantile(0.50) / 1000.0).put("p95_ms", h.quantile(0.95) / 1000.0)
                    .put("p99_ms", h.quantile(0.99) / 1000.0).put("p999_ms", h.quantile(0.999) / 1000.0));
        }
        JsonArray w = new JsonArray();
        new java.util.TreeMap<>(windows).forEach((i, h) -> w.add(new JsonObject().put("from_s", i * 5)
                .put("count", h.count()).put("p50_ms", h.quantile(0.50) / 1000.0).put("p99_ms", h.quantile(0.99) / 1000.0)
                .put("max_ms", h.quantile(1.0) / 1000.0)));
        out.put("windows", w);
        JsonObject st = new JsonObject();
        new java.util.TreeMap<>(statuses).forEach((k, v) -> st.put(k, v.get()));
        out.put("statuses", st);
        if (!fresh.isEmpty()) {
            LatencyHistogram f = new LatencyHistogram();
            fresh.forEach(f::record);
            out.put("freshness", new JsonObject().put("count", f.count()).put("p50_ms", f.quantile(0.5) / 1000.0)
                    .put("p99_ms", f.quantile(0.99) / 1000.0).put("max_ms", f.quantile(1.0) / 1000.0));
        }
        System.out.println(out.encodePrettily());
    }

    /**
     * Rating-to-visible delays, one probe at a time, each on a random user: probe i is due at
     * {@code from + i * every}; those that start before {@code recordFrom} are not recorded.
     */
    private static final class Freshness {
        private final Vertx vertx;
        private final HttpClient client;
        private final int[] users;
        private final int k;
        private final int probes;
        private final List<Long> delays = new ArrayList<>();
        private final SplittableRandom rnd = new SplittableRandom(7);
        private final long from;
        private final long recordFrom;
        private final long every;
        private long index;

        Freshness(Vertx vertx, HttpClient client, int[] users, int k, int probes, long fromNs, long recordFromNs,
                  long everyNs) {
            this.vertx = vertx;
            this.client = client;
            this.users = users;
            this.k = k;
            this.probes = probes;
            this.from = fromNs;
            this.recordFrom = recordFromNs;
            this.every = everyNs;
        }

        void start(CompletableFuture<List<Long>> result) {
            next(result);
        }

        private void next(CompletableFuture<List<Long>> result) {
            if (delays.size() >= probes) {
                result.complete(delays);
                return;
            }
            long waitMs = (from + index++ * every - System.nanoTime()) / 1_000_000;
            if (waitMs > 0) {
                vertx.setTimer(waitMs, id -> probe(result));
            } else {
                probe(result);
            }
        }

        private void done(long t0, CompletableFuture<List<Long>> result) {
            if (t0 >= recordFrom) {
                delays.add((System.nanoTime() - t0) / 1000);
            }
            next(result);
        }

        private void probe(CompletableFuture<List<Long>> result) {
            int user = users[rnd.nextInt(users.length)];
            topItem(user).onComplete(ar -> {
                if (ar.failed() || ar.result() < 0) {
                    next(result);
                    return;
                }
                int item = ar.result();
                long t0 = System.nanoTime();
                client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/ratings")
                                .putHeader("content-type", "application/json"))
                        .compose(req -> req.send("{\"userId\":" + user + ",\"itemId\":" + item + ",\"rating\":0.5}"))
                        .compose(resp -> resp.body())
                        .onComplete(x -> poll(user, item, t0, result));
            });
        }

        private void poll(int user, int item, long t0, CompletableFuture<List<Long>> result) {
            topItem(user).onComplete(ar -> {
                if (ar.succeeded() && ar.result() != item
                        || System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(30)) {
                    done(t0, result);
                } else {
                    vertx.setTimer(5, id -> poll(user, item, t0, result));
                }
            });
        }

        private Future<Integer> topItem(int user) {
            return client.request(new RequestOptions().setURI("/users/" + user + "/recommendations?k=" + k))
                    .compose(req -> req.send()).compose(resp -> resp.body().map(b -> resp.statusCode() == 200
                            ? b.toJsonObject().getJsonArray("items").getJsonObject(0).getInteger("itemId") : -1));
        }
    }
}
