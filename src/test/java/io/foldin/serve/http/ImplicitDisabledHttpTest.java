package io.foldin.serve.http;

import io.foldin.serve.FoldinService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real {@code serve} with {@code implicit.enabled=false}: both implicit endpoints are a 400 implicit_disabled. */
class ImplicitDisabledHttpTest {
    @TempDir
    Path dir;

    @Test
    void implicitRequestsAre400WhenTheModelIsOff() throws Exception {
        int port = RunningService.freePort();
        try (FoldinService service = FoldinService.start(RunningService.config(dir, null, port,
                Map.of("implicit.enabled", "false")))) {
            assertTrue(service.streams().awaitRunning(Duration.ofMinutes(2)));
            OpenApiContract contract = new OpenApiContract();
            List<String> problems = new ArrayList<>();
            HttpResponse<String> user = RunningService.get(port, "/users/1/recommendations?model=implicit");
            HttpResponse<String> anon = RunningService.post(port, "/recommendations",
                    "{\"model\":\"implicit\",\"items\":[1]}");
            for (HttpResponse<String> r : List.of(user, anon)) {
                assertEquals(400, r.statusCode(), r.body());
                assertEquals("implicit_disabled", new JsonObject(r.body()).getString("error"), r.body());
            }
            problems.addAll(contract.check("GET", "/users/1/recommendations", user));
            problems.addAll(contract.check("POST", "/recommendations", anon));
            assertEquals(List.of(), problems);
        }
    }
}
