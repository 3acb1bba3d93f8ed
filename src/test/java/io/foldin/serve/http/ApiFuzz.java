package io.foldin.serve.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random requests over the endpoints (fixed seed): valid and broken ids, parameters and bodies,
 * wrong methods, odd encodings. Each request is a method, a raw request target (already encoded
 * as it goes on the wire) and a body.
 */
final class ApiFuzz {
    record Call(String method, String target, byte[] body) {
    }

    static final List<String> PATHS = List.of("/users/{u}/recommendations", "/users/{u}/items/{i}/prediction",
            "/users/{u}", "/items/{i}/similar", "/items/popular", "/items/{i}", "/recommendations", "/ratings",
            "/health/live", "/health/ready", "/stats", "/metrics", "/", "/users", "/items", "/users/{u}/items",
            "/{x}", "/users/{u}/recommendations/{x}");
    static final List<String> METHODS = List.of("GET", "GET", "GET", "POST", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");
    static final List<String> IDS = List.of("1", "2", "296", "0", "-1", "01", "2147483647", "2147483648",
            "99999999999999999999", "1.5", "1e3", "abc", "%20", "%00", "%zz", "%C3%A9", "%F0%9F%8E%AC", "", "+1",
            "0x10", "NaN", "null", "1;2", "..", "%2F", "1%2F2");
    static final List<String> PARAMS = List.of("k", "minRatings", "biasWeight", "x", "k");
    static final List<String> VALUES = List.of("0", "1", "10", "1000", "1001", "-1", "2147483648", "1e2", "NaN",
            "Infinity", "-Infinity", "0.5", "abc", "", "%zz", "%00", "10&k=5", "1e40", "-0", "%E2%82%AC");

    private final SplittableRandom rnd;

    ApiFuzz(long seed) {
        this.rnd = new SplittableRandom(seed);
    }

    Call next() {
        String method = pick(METHODS);
        String path = pick(PATHS).replace("{u}", pick(IDS)).replace("{i}", pick(IDS)).replace("{x}", pick(IDS));
        StringBuilder target = new StringBuilder(path);
        int params = rnd.nextInt(4);
        for (int p = 0; p < params; p++) {
            target.append(p == 0 ? '?' : '&').append(pick(PARAMS)).append('=').append(pick(VALUES));
        }
        byte[] body = method.equals("GET") && rnd.nextInt(10) > 0 ? new byte[0] : body();
        return new Call(method, target.toString(), body);
    }

    private byte[] body() {
        String s = switch (rnd.nextInt(14)) {
            case 0 -> "";
            case 1 -> "{\"ratings\":[{\"itemId\":" + pick(IDS) + ",\"rating\":" + pick(VALUES) + "}]}";
            case 2 -> "{\"ratings\":[{\"itemId\":1,\"rating\":4}," + "{\"itemId\":2,\"rating\":3},".repeat(rnd.nextInt(1200))
                    + "{\"itemId\":3,\"rating\":5}]}";
            case 3 -> "{\"userId\":" + pick(IDS) + ",\"itemId\":" + pick(IDS) + ",\"rating\":" + pick(VALUES) + "}";
            case 4 -> "{\"userId\":1,\"itemId\":1,\"rating\":4,\"timestamp\":" + pick(VALUES) + "}";
            case 5 -> "[".repeat(rnd.nextInt(1, 5000));
            case 6 -> "{\"a\":".repeat(rnd.nextInt(1, 3000)) + "1" + "}".repeat(rnd.nextInt(3000));
            case 7 -> "{\"ratings\":" + pick(List.of("null", "1", "\"x\"", "{}", "[null]", "[[1]]", "[{}]", "[{\"itemId\":1}]")) + "}";
            case 8 -> "x".repeat(rnd.nextInt(100_000));
            case 9 -> "{\"ratings\":[{\"itemId\":1e400,\"rating\":1e400}]}";
            case 10 -> "{\"userId\":1,\"userId\":2,\"itemId\":3,\"rating\":4}";
            case 11 -> "\"just a string\"";
            case 12 -> "{\"ratings\":[{\"itemId\":1,\"rating\":5}]}   trailing";
            default -> null;
        };
        if (s != null) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        byte[] raw = new byte[rnd.nextInt(2000)];
        rnd.nextBytes(raw);
        return raw;
    }

    private <T> T pick(List<T> list) {
        return list.get(rnd.nextInt(list.size()));
    }
}
