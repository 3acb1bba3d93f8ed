package io.foldin.stream.event;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract test: every file in {@code schemas/examples/} is named {@code <schema>.<valid|invalid>[.<label>].json};
 * a real draft 2020-12 validator must agree with the name, and for rating events {@link RatingEventParser} must
 * agree with the validator, so the parser and the schema cannot drift apart. Problems JSON Schema cannot express
 * (size, UTF-8, duplicates, trailing data, key) are covered by {@link RatingEventParserTest} instead.
 */
class SchemaContractTest {

    private static final Path SCHEMAS = Path.of("schemas");
    private static final Path EXAMPLES = SCHEMAS.resolve("examples");
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void exampleMatchesItsSchemaAndTheParser(Path file) throws IOException {
        String name = file.getFileName().toString();
        String[] parts = name.split("\\.");
        assertTrue(parts.length >= 3 && (parts[1].equals("valid") || parts[1].equals("invalid")),
                name + " must be named <schema>.<valid|invalid>[.<label>].json");
        boolean expectValid = parts[1].equals("valid");
        String json = Files.readString(file, StandardCharsets.UTF_8);

        List<Error> errors = schema(parts[0]).validate(json, InputFormat.JSON);
        assertEquals(expectValid, errors.isEmpty(), () -> name + ": schema says " + errors);

        if (parts[0].equals("exposure")) {
            // The service's own codec reads the valid examples and writes what the schema accepts.
            io.foldin.experiment.Exposure x = io.foldin.experiment.Exposure.decode(json.getBytes(StandardCharsets.UTF_8));
            if (expectValid) {
                assertEquals(List.of(), schema("exposure").validate(new String(x.encode(), StandardCharsets.UTF_8),
                        InputFormat.JSON), name);
            }
        }
        if (parts[0].equals("interaction-event")) {
            ParseResult r = new InteractionEventParser().parse(json.getBytes(StandardCharsets.UTF_8), 1_000L);
            assertEquals(expectValid, r instanceof InteractionEvent, () -> name + ": parser says " + r);
        }
        if (parts[0].equals("rating-event")) {
            ParseResult r = new RatingEventParser().parse(null, json.getBytes(StandardCharsets.UTF_8), 1_000L);
            assertEquals(expectValid, r instanceof RatingEvent, () -> name + ": parser says " + r);
            if (r instanceof RatingEvent e) {
                // What the codec writes must itself be schema-valid.
                assertEquals(List.of(), schema("rating-event").validate(RatingEventCodec.toJson(e), InputFormat.JSON), name);
            }
        }
    }

    @Test
    void interactionRejectionsNameTheirReason() {
        InteractionEventParser parser = new InteractionEventParser();
        assertEquals(Reason.WEIGHT_OUT_OF_RANGE, reason(parser, "{\"userId\":1,\"itemId\":2,\"weight\":-1}"));
        assertEquals(Reason.WEIGHT_WRONG_TYPE, reason(parser, "{\"userId\":1,\"itemId\":2,\"weight\":null}"));
        assertEquals(Reason.KIND_INVALID, reason(parser, "{\"userId\":1,\"itemId\":2,\"kind\":7}"));
        assertEquals(Reason.DUPLICATE_FIELD, reason(parser, "{\"userId\":1,\"itemId\":2,\"itemId\":3}"));
        assertEquals(Reason.TIMESTAMP_MISSING, ((Rejection) parser.parse(
                "{\"userId\":1,\"itemId\":2}".getBytes(StandardCharsets.UTF_8), -1)).reason());
        assertEquals(new InteractionEvent(1, 2, 1f, null, 5), parser.parse(
                "{\"userId\":1,\"itemId\":2}".getBytes(StandardCharsets.UTF_8), 5_999));
    }

    private static Reason reason(InteractionEventParser parser, String json) {
        ParseResult r = parser.parse(json.getBytes(StandardCharsets.UTF_8), 1_000L);
        assertInstanceOf(Rejection.class, r, json);
        return ((Rejection) r).reason();
    }

    @Test
    void everySchemaHasValidAndInvalidExamples() throws IOException {
        try (Stream<Path> files = Files.list(SCHEMAS)) {
            for (Path s : files.filter(p -> p.toString().endsWith(".schema.json")).toList()) {
                String base = s.getFileName().toString().replace(".schema.json", "");
                assertTrue(Files.exists(EXAMPLES.resolve(base + ".valid.json")), base + " needs a valid example");
                try (Stream<Path> ex = Files.list(EXAMPLES)) {
                    assertTrue(ex.anyMatch(p -> p.getFileName().toString().startsWith(base + ".invalid.")),
                            base + " needs an invalid example");
                }
            }
        }
    }

    @Test
    void documentedExampleParses() throws IOException {
        byte[] v = Files.readAllBytes(EXAMPLES.resolve("rating-event.valid.json"));
        RatingEvent e = assertInstanceOf(RatingEvent.class, new RatingEventParser().parse("1".getBytes(StandardCharsets.UTF_8), v, -1));
        assertEquals(new RatingEvent(1, 296, 5.0f, 1147880044L), e);
    }

    private static Schema schema(String base) throws IOException {
        return REGISTRY.getSchema(Files.readString(SCHEMAS.resolve(base + ".schema.json")), InputFormat.JSON);
    }
}
