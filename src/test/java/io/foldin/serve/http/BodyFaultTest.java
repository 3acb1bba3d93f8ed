package io.foldin.serve.http;

import io.foldin.stream.event.Reason;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The body-fault vocabulary is documented, unique, and reuses the dead-letter codes it shares with the stream. */
class BodyFaultTest {
    @Test
    void everyCodeIsInTheOpenApiErrorTableAndTheReadme() throws Exception {
        String openapi = Files.readString(Path.of("schemas/openapi.yaml"));
        String readme = Files.readString(Path.of("README.md"));
        List<String> missing = new ArrayList<>();
        for (BodyFault f : BodyFault.values()) {
            if (!openapi.contains("`" + f.code() + "`")) {
                missing.add("openapi.yaml: " + f.code());
            }
            if (!readme.contains("`" + f.code() + "`")) {
                missing.add("README.md: " + f.code());
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void codesAreUniqueSnakeCaseAndAgreeWithTheDeadLetterReasons() {
        Set<String> seen = new HashSet<>();
        for (BodyFault f : BodyFault.values()) {
            assertTrue(seen.add(f.code()), "twice: " + f.code());
            assertTrue(f.code().matches("[a-z0-9_]+"), f.code());
            // A fault named like a dead-letter reason must carry that reason's code, not a synonym.
            for (Reason r : Reason.values()) {
                if (r.name().equals(f.name())) {
                    assertEquals(r.code(), f.code(), f.name());
                }
            }
        }
        // The JSON-level faults are the stream's words, so HTTP and ratings-dlq agree.
        assertEquals(Reason.UNPARSABLE_JSON.code(), BodyFault.UNPARSABLE_JSON.code());
        assertEquals(Reason.NOT_AN_OBJECT.code(), BodyFault.NOT_AN_OBJECT.code());
    }
}
