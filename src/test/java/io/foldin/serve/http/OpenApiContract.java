package io.foldin.serve.http;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Checks real responses against {@code schemas/openapi.yaml}: the path and method must be
 * documented, the status must be one of the operation's responses, the content type one of that
 * response's media types, and a JSON body must validate (draft 2020-12) against the documented
 * schema, which the validator loads straight from the YAML by JSON pointer. Records which
 * (operation, status) pairs were seen, so a test can require every documented operation exercised.
 */
final class OpenApiContract {
    static final Path DIR = Path.of("schemas");
    /** The rating event schema's $id prefix; the OpenAPI file is given an IRI next to it. */
    static final String BASE = "https://foldin.io/schemas/";

    private record Template(String path, Pattern regex, int params) {
    }

    private final JsonNode doc;
    private final List<Template> templates = new ArrayList<>();
    /** Loads {@code BASE + name} from {@code schemas/name}: no network, no file: IRIs. */
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            b -> b.schemas(iri -> iri.startsWith(BASE) ? read(DIR.resolve(iri.substring(BASE.length()))) : null));
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();
    private final Set<String> seen = new TreeSet<>();

    OpenApiContract() throws IOException {
        doc = new YAMLMapper().readTree(read(DIR.resolve("openapi.yaml")));
        for (String p : doc.path("paths").propertyNames()) {
            String regex = Pattern.quote(p).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q");
            templates.add(new Template(p, Pattern.compile(regex), p.split("\\{", -1).length - 1));
        }
        // A literal segment wins over a parameter: /items/popular is not /items/{itemId}.
        templates.sort(Comparator.comparingInt(Template::params));
    }

    /** The documented path template a concrete path matches, or null. */
    String template(String path) {
        for (Template t : templates) {
            if (t.regex().matcher(path).matches()) {
                return t.path();
            }
        }
        return null;
    }

    /** Every documented "METHOD template". */
    Set<String> operations() {
        Set<String> ops = new TreeSet<>();
        for (String p : doc.path("paths").propertyNames()) {
            for (String m : doc.path("paths").path(p).propertyNames()) {
                ops.add(m.toUpperCase() + " " + p);
            }
        }
        return ops;
    }

    /** The "METHOD template" operations that got at least one checked response. */
    synchronized Set<String> exercised() {
        Set<String> ops = new TreeSet<>();
        for (String s : seen) {
            ops.add(s.substring(0, s.lastIndexOf(' ')));
        }
        return ops;
    }

    /** Returns the problems with one response (empty when it conforms). */
    List<String> check(String method, String path, HttpResponse<String> r) {
        return check(method, path, r.statusCode(), r.headers().firstValue("content-type").orElse(""), r.body());
    }

    List<String> check(String method, String path, int statusCode, String contentType, String body) {
        List<String> problems = new ArrayList<>();
        String t = template(path);
        if (t == null) {
            problems.add("path " + path + " is not documented");
            return problems;
        }
        String pointer = "/paths/" + escape(t) + "/" + method.toLowerCase();
        JsonNode op = doc.at(pointer);
        if (op.isMissingNode()) {
            problems.add(method + " " + t + " is not documented");
            return problems;
        }
        String status = Integer.toString(statusCode);
        JsonNode resp = op.path("responses").path(status);
        String respPointer = pointer + "/responses/" + status;
        if (resp.isMissingNode()) {
            problems.add(method + " " + t + " answered " + status + ", not a documented status "
                    + op.path("responses").propertyNames());
            return problems;
        }
        if (resp.has("$ref")) {
            respPointer = resp.get("$ref").stringValue().substring(1);
            resp = doc.at(respPointer);
        }
        String type = contentType.split(";")[0].trim();
        if (!resp.path("content").has(type)) {
            problems.add(method + " " + t + " " + status + ": content type '" + type + "' not in "
                    + resp.path("content").propertyNames());
            return problems;
        }
        synchronized (this) {
            seen.add(method + " " + t + " " + status);
        }
        if (type.equals("application/json")) {
            String ref = resp.path("content").path(type).path("schema").path("$ref").stringValue(null);
            if (ref == null) {
                problems.add(respPointer + ": JSON schemas are documented as $refs to components");
                return problems;
            }
            String location = ref.startsWith("#") ? BASE + "openapi.yaml" + ref : BASE + ref;
            Schema s = schemas.computeIfAbsent(location, l -> registry.getSchema(SchemaLocation.of(l)));
            List<Error> errors = s.validate(body, InputFormat.JSON);
            if (!errors.isEmpty()) {
                problems.add(method + " " + path + " " + status + ": " + errors + " in " + body);
            }
        }
        return problems;
    }

    /** Validation errors of a JSON text against {@code #/components/schemas/name}. */
    List<Error> validate(String name, String json) {
        return registry.getSchema(SchemaLocation.of(BASE + "openapi.yaml#/components/schemas/" + name))
                .validate(json, InputFormat.JSON);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String escape(String pointerToken) {
        return pointerToken.replace("~", "~0").replace("/", "~1");
    }
}
