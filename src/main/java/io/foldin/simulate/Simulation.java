package io.foldin.simulate;

import io.foldin.data.Catalog;
import io.foldin.data.MoviesReader;
import io.foldin.data.twin.Twin;
import io.foldin.data.twin.TwinConfig;
import io.foldin.data.twin.TwinGenerator;
import io.foldin.data.twin.TwinWriter;
import io.foldin.experiment.Stats;
import io.foldin.metrics.Metric;
import io.foldin.serve.FoldinService;
import io.foldin.serve.SampleData;
import io.foldin.serve.ServiceConfig;
import io.foldin.stream.replay.Replayer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * seed 003 §16.3–16.5 against the real service: a {@code serve} in this process on an embedded broker,
 * loaded with a twin through Kafka and swept; then experiments defined over HTTP, every twin user asking
 * for recommendations over HTTP (each answer writes its exposures to Kafka), every user rating each item
 * shown through {@code POST /ratings} with {@link HiddenUsers}' answer, and the readouts of
 * {@code GET /experiments/{name}} once the stream has joined every outcome.
 *
 * <p>The A/A runs are {@code aaRuns} experiments with two identical variants, all live at once on the
 * same users (each user is in every one, with its own hashed variant), so one pass of users gives every
 * run its own random split, and each run's p-value is Welch's t of its readout. The A/B run is one more
 * experiment at the same time: control biasWeight 1, treatment biasWeight 0 (ranking by affinity alone, a
 * planted effect: the hidden item biases are real). The A/A variants set no option, so the A/B's option
 * is the only one in force, and the A/A arms see the same mix of it (the experiments are independent).
 * All users ask before any rates, so what is shown depends on the swept model only, not on timing.
 */
public final class Simulation {
    /** The options of one simulation. */
    public record Options(double scale, long seed, int k, double noise, int aaRuns, boolean ab, double alpha,
                          int concurrency, Path workDir) {
    }

    private final Options o;
    private final Consumer<String> log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String token = UUID.randomUUID().toString();
    private int port;

    public Simulation(Options o, Consumer<String> log) {
        this.o = o;
        this.log = log;
    }

    public Map<String, Object> run() throws Exception {
        long t0 = System.nanoTime();
        Twin twin = TwinGenerator.generate(TwinConfig.of(o.scale(), o.seed()));
        Files.createDirectories(o.workDir());
        TwinWriter.writeMoviesCsv(twin, o.workDir().resolve("movies.csv"));
        Catalog movies = MoviesReader.read(o.workDir().resolve("movies.csv"));
        port = freePort();
        try (FoldinService s = FoldinService.start(config())) {
            s.streams().awaitRunning(Duration.ofMinutes(2));
            SampleData.produceMovies(s.brokers(), movies);
            long n = SampleData.produceRatings(s.brokers(), twin.toLog(), Replayer.Listener.NONE).delivered();
            long deadline = System.currentTimeMillis() + 5 * 60_000;
            while (s.metrics().total(Metric.EVENTS) + s.metrics().total(Metric.ITEM_UPDATES_SUPERSEDED)
                    < 2 * n && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            s.streams().sweeps().requestSweep(10, false).get(5, TimeUnit.MINUTES);
            double loaded = (System.nanoTime() - t0) / 1e9;
            log.accept(String.format("simulate: %d users, %d items, %d ratings loaded and swept in %.1f s",
                    twin.users(), twin.items(), n, loaded));
            Map<String, Object> out = experiment(twin);
            out.put("ratings_loaded", n);
            out.put("seconds_load", loaded);
            out.put("seconds_total", (System.nanoTime() - t0) / 1e9);
            return out;
        }
    }

    private ServiceConfig config() throws IOException {
        Map<String, String> f = new LinkedHashMap<>();
        int kafka = freePort();
        while (kafka == port) {
            kafka = freePort();
        }
        f.put("kafka.port", Integer.toString(kafka));
        f.put("kafka.data.dir", o.workDir().resolve("kafka").toString());
        f.put("state.dir", o.workDir().resolve("state").toString());
        f.put("http.port", Integer.toString(port));
        f.put("admin.token", token);
        f.put("sample.load", "false");
        f.put("sweep.every.ms", "0");
        f.put("sweep.first.after.ratings", "0");
        f.put("commit.interval.ms", "100");
        f.put("progress.interval.ms", "600000");
        return ServiceConfig.load(null, Map.of(), f);
    }

    private Map<String, Object> experiment(Twin twin) throws Exception {
        long t0 = System.nanoTime();
        List<String> aa = new ArrayList<>();
        for (int r = 0; r < o.aaRuns(); r++) {
            aa.add("aa-" + r);
            define("aa-" + r, "{}", "{}");
        }
        if (o.ab()) {
            define("ab-bias", "{\"biasWeight\":1}", "{\"biasWeight\":0}");
        }
        HiddenUsers users = new HiddenUsers(twin, o.noise(), o.seed());
        ExecutorService pool = Executors.newFixedThreadPool(o.concurrency());
        try {
            // every user asks first, then every user rates what they were shown
            List<Future<int[]>> shown = new ArrayList<>();
            for (int u = 0; u < twin.users(); u++) {
                int userId = twin.userIdOf(u);
                shown.add(pool.submit(() -> recommend(userId)));
            }
            List<Future<Integer>> rated = new ArrayList<>();
            for (int u = 0; u < twin.users(); u++) {
                int userId = twin.userIdOf(u);
                int[] items = shown.get(u).get();
                rated.add(pool.submit(() -> rate(users, userId, items)));
            }
            long ratings = 0;
            for (Future<Integer> f : rated) {
                ratings += f.get();
            }
            List<String> all = new ArrayList<>(aa);
            if (o.ab()) {
                all.add("ab-bias");
            }
            Map<String, JsonObject> readouts = awaitReadouts(all, ratings);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("users", twin.users());
            out.put("items", twin.items());
            out.put("k", o.k());
            out.put("noise_sd", o.noise());
            out.put("outcome_ratings_posted", ratings);
            out.put("alpha", o.alpha());
            if (!aa.isEmpty()) {
                int rejected = 0;
                int srm = 0;
                double[] ps = new double[aa.size()];
                for (int i = 0; i < aa.size(); i++) {
                    String name = aa.get(i);
                    Double p = outcome(readouts.get(name)).getDouble("p");
                    ps[i] = p == null ? Double.NaN : p;
                    rejected += p != null && p < o.alpha() ? 1 : 0;
                    srm += readouts.get(name).getJsonObject("sampleRatio").getBoolean("mismatch") ? 1 : 0;
                }
                out.put("aa_runs", aa.size());
                out.put("aa_rejections", rejected);
                out.put("false_positive_rate", rejected / (double) aa.size());
                out.put("aa_sample_ratio_mismatches", srm);
                // Under the null the p-values are uniform: their mean near 0.5, and a KS test that does not reject.
                out.put("aa_p_mean", java.util.Arrays.stream(ps).average().orElse(Double.NaN));
                Stats.KolmogorovSmirnov ks = Stats.ksUniform(ps);
                out.put("aa_p_uniform_ks", ks.d());
                out.put("aa_p_uniform_ks_p", ks.p());
            }
            if (o.ab()) {
                out.put("ab", abSummary(readouts.get("ab-bias")));
            }
            out.put("seconds_experiment", (System.nanoTime() - t0) / 1e9);
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static JsonObject outcome(JsonObject readout) {
        return readout.getJsonArray("variants").getJsonObject(1).getJsonObject("vsControl").getJsonObject("outcome");
    }

    private Map<String, Object> abSummary(JsonObject r) {
        JsonArray vs = r.getJsonArray("variants");
        JsonObject c = vs.getJsonObject(0);
        JsonObject t = vs.getJsonObject(1);
        JsonObject test = outcome(r);
        Map<String, Object> ab = new LinkedHashMap<>();
        ab.put("control", "biasWeight 1");
        ab.put("treatment", "biasWeight 0");
        ab.put("control_users", c.getLong("converted"));
        ab.put("treatment_users", t.getLong("converted"));
        ab.put("control_mean", c.getDouble("outcomeMean"));
        ab.put("treatment_mean", t.getDouble("outcomeMean"));
        ab.put("diff", test.getDouble("diff"));
        ab.put("t", test.getDouble("t"));
        ab.put("df", test.getDouble("df"));
        ab.put("p", test.getDouble("p"));
        ab.put("ci95", test.getJsonArray("ci95").getList());
        ab.put("significant", test.getBoolean("significant"));
        // the planted effect: without the item biases the items shown are worse, so treatment − control < 0
        ab.put("right_sign", test.getDouble("diff") < 0);
        return ab;
    }

    private void define(String name, String a, String b) {
        String body = "{\"name\":\"" + name + "\",\"traffic\":1,\"variants\":[{\"name\":\"control\",\"ranking\":" + a
                + "},{\"name\":\"treatment\",\"ranking\":" + b + "}]}";
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/experiments")).header("content-type", "application/json")
                .header("authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body)).build());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("POST /experiments " + name + ": " + r.statusCode() + " " + r.body());
        }
    }

    private int[] recommend(int userId) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/users/" + userId + "/recommendations?k=" + o.k()))
                .GET().build());
        if (r.statusCode() != 200) {
            return new int[0];
        }
        JsonArray items = new JsonObject(r.body()).getJsonArray("items");
        int[] out = new int[items.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = items.getJsonObject(i).getInteger("itemId");
        }
        return out;
    }

    private int rate(HiddenUsers users, int userId, int[] items) {
        int n = 0;
        for (int item : items) {
            float r = users.answer(userId, item);
            if (Float.isNaN(r)) {
                continue;
            }
            HttpResponse<String> res = send(HttpRequest.newBuilder(uri("/ratings")).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":" + userId + ",\"itemId\":" + item
                            + ",\"rating\":" + r + "}")).build());
            n += res.statusCode() == 202 ? 1 : 0;
        }
        return n;
    }

    /** Polls the readouts until each counts every outcome posted (each user is in every experiment). */
    private Map<String, JsonObject> awaitReadouts(List<String> names, long ratings) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        Map<String, JsonObject> out = new LinkedHashMap<>();
        while (true) {
            boolean complete = true;
            for (String name : names) {
                JsonObject r = new JsonObject(send(HttpRequest.newBuilder(uri("/experiments/" + name)).GET().build()).body());
                out.put(name, r);
                long seen = 0;
                for (Object v : r.getJsonArray("variants")) {
                    seen += ((JsonObject) v).getLong("outcomeRatings");
                }
                complete &= seen >= ratings;
            }
            if (complete) {
                return out;
            }
            if (System.currentTimeMillis() > deadline) {
                log.accept("simulate: not every outcome reached the readouts within 120 s; reporting what did");
                return out;
            }
            Thread.sleep(250);
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpResponse<String> send(HttpRequest r) {
        try {
            return http.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(r.method() + " " + r.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
