package marketbackend.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;

import org.yaml.snakeyaml.Yaml;

/**
 * The contract test: every request an HTTP test sends and every answer it gets is checked against
 * the served OpenAPI document ({@code META-INF/openapi.yaml}, what {@code /openapi} serves). The
 * test helpers ({@link Api}, the manager and reliability clients, raw sockets) call {@link #check},
 * so each HTTP test fails on an answer the document does not describe:
 * <ul>
 *   <li>a status the operation does not list, a body that does not match the schema of its status
 *   and content type (in the check, a response object has no fields the document does not name),
 *   a header the response does not declare, a problem without {@code request_id} equal to
 *   {@code X-Request-Id};</li>
 *   <li>a request the document refuses (schema, enum, pattern, missing token) that the server
 *   accepted with a 2xx: the document would be stricter than the server. Refused requests answered
 *   with a documented 4xx are the error cases the tests are about.</li>
 * </ul>
 * Paths outside {@code /api} ({@code /observe/*}, {@code /openapi}) are outside the API and not checked;
 * so are routes a test adds for itself under {@link #TEST_ROUTES}, which the shipped routing never has.
 */
public final class Contract {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Headers of HTTP itself, never part of an operation's contract. */
    private static final Set<String> TRANSPORT = Set.of("content-type", "content-length", "date", "connection",
            "transfer-encoding", "vary", "keep-alive");
    /** What the HTTP layer answers for a request no operation matches (an unknown path, a bad request line). */
    private static final Set<Integer> UNROUTED = Set.of(400, 404, 413, 414, 431);
    /** Where tests add routes of their own (e.g. a request that sleeps in the database). */
    public static final String TEST_ROUTES = "/api/test/";
    private static final Contract INSTANCE = new Contract();

    private final OpenAPI api;
    private final OpenApiInteractionValidator validator;
    private final List<Route> routes = new ArrayList<>();
    private final AtomicLong checked = new AtomicLong();
    private final AtomicLong answerOnly = new AtomicLong();

    /** One exchange as the test saw it; {@code query} is the raw query string (or null). */
    public record Exchange(String method, String path, String query, Map<String, List<String>> requestHeaders,
                           String requestBody, int status, Map<String, List<String>> responseHeaders,
                           String responseBody) {
    }

    private record Route(Pattern pattern, PathItem item, int literalChars) {
    }

    private Contract() {
        String text;
        try (InputStream in = Contract.class.getResourceAsStream("/META-INF/openapi.yaml")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        this.api = new OpenAPIV3Parser().readContents(text, null, options).getOpenAPI();
        this.validator = OpenApiInteractionValidator.createForInlineApiSpecification(strict(text))
                .withResolveCombinators(true).build();
        api.getPaths().forEach((template, item) -> routes.add(new Route(
                Pattern.compile(template.replaceAll("\\{[^}]+}", "[^/]+")), item,
                template.replaceAll("\\{[^}]+}", "").length())));
        // "/api/manager/revenue/compare" before a template that would also match it
        routes.sort(Comparator.comparingInt(Route::literalChars).reversed());
        // how much of the suite went through the check, for whoever reads the build's output
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                java.nio.file.Files.writeString(java.nio.file.Path.of("target", "openapi-contract.txt"),
                        "exchanges checked against the OpenAPI document: " + checked.get()
                                + "\nof which answer only (the request was not valid HTTP): " + answerOnly.get() + "\n");
            } catch (IOException e) {
                // no target directory (run from elsewhere): nothing to report
            }
        }));
    }

    /** Fails (AssertionError) when the exchange breaks the document. */
    public static void check(Exchange x) {
        INSTANCE.verify(x, true);
    }

    /** The answer only: for requests that are not valid HTTP, which no document can describe. */
    public static void checkAnswer(Exchange x) {
        INSTANCE.verify(x, false);
    }

    private void verify(Exchange x, boolean validateRequest) {
        String path = withoutDotSegments(x.path());
        if (x.status() < 0 || !(path.equals("/api") || path.startsWith("/api/")) || path.startsWith(TEST_ROUTES)) {
            return;
        }
        checked.incrementAndGet();
        if (!validateRequest) {
            answerOnly.incrementAndGet();
        }
        List<String> violations = new ArrayList<>();
        problemCarriesRequestId(x, violations);
        Operation op = operation(x.method(), path);
        if (op == null) {
            if (!UNROUTED.contains(x.status())) {
                violations.add("no operation " + x.method() + " " + path + " in the document, yet answered " + x.status());
            }
            fail(x, violations);
            return;
        }
        SimpleResponse.Builder res = new SimpleResponse.Builder(x.status());
        x.responseHeaders().forEach(res::withHeader);
        if (x.responseBody() != null && !x.responseBody().isEmpty()) {
            res.withBody(x.responseBody());
        }
        SimpleResponse response = res.build();
        Request.Method method = Request.Method.valueOf(x.method().toUpperCase(Locale.ROOT));
        if (validateRequest) {
            ValidationReport request = validator.validateRequest(request(x, path, method));
            if (request.hasErrors() && x.status() < 400) {
                violations.add("the document refuses this request, but the server answered " + x.status() + ": "
                        + messages(request));
            }
        }
        ValidationReport answer = validator.validateResponse(path, method, response);
        if (answer.hasErrors()) {
            violations.add("answer: " + messages(answer));
        }
        ApiResponse documented = op.getResponses() == null ? null : op.getResponses().get(String.valueOf(x.status()));
        if (documented != null) {
            for (String name : x.responseHeaders().keySet()) {
                String lower = name.toLowerCase(Locale.ROOT);
                boolean declared = documented.getHeaders() != null
                        && documented.getHeaders().keySet().stream().anyMatch(h -> h.equalsIgnoreCase(name));
                if (!TRANSPORT.contains(lower) && !declared) {
                    violations.add("header " + name + " is not declared for " + x.status());
                }
            }
        }
        fail(x, violations);
    }

    private static Request request(Exchange x, String path, Request.Method method) {
        SimpleRequest.Builder b = new SimpleRequest.Builder(method, path);
        x.requestHeaders().forEach(b::withHeader);
        if (x.query() != null && !x.query().isEmpty()) {
            for (String pair : x.query().split("&")) {
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                b.withQueryParam(name, eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        if (x.requestBody() != null) {
            b.withBody(x.requestBody());
        }
        return b.build();
    }

    /** RFC 9457 answers of every layer carry the request id in the body and the header, the same one. */
    private static void problemCarriesRequestId(Exchange x, List<String> violations) {
        String type = first(x.responseHeaders(), "Content-Type");
        if (type == null || !type.startsWith("application/problem+json")) {
            return;
        }
        String header = first(x.responseHeaders(), "X-Request-Id");
        try {
            JsonNode body = JSON.readTree(x.responseBody());
            String inBody = body.path("request_id").asText(null);
            if (header == null || !header.equals(inBody)) {
                violations.add("problem request_id " + inBody + " and X-Request-Id " + header + " differ");
            }
        } catch (IOException e) {
            violations.add("problem+json that is not JSON");
        }
    }

    /** The path the server routes: {@code /api/products/1/../../manager/orders} is {@code /api/manager/orders}. */
    private static String withoutDotSegments(String path) {
        if (path == null) {
            return "";
        }
        java.util.Deque<String> out = new java.util.ArrayDeque<>();
        String[] segments = path.split("/", -1);
        for (int i = 1; i < segments.length; i++) {
            switch (segments[i]) {
                case "." -> { }
                case ".." -> out.pollLast();
                default -> out.addLast(segments[i]);
            }
        }
        return "/" + String.join("/", out);
    }

    /** The documented operation, or null (an unknown path, or a method no document could list). */
    private Operation operation(String method, String path) {
        PathItem.HttpMethod m;
        try {
            m = PathItem.HttpMethod.valueOf(method.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
        for (Route r : routes) {
            if (r.pattern().matcher(path).matches()) {
                return r.item().readOperationsMap().get(m);
            }
        }
        return null;
    }

    private static void fail(Exchange x, List<String> violations) {
        if (!violations.isEmpty()) {
            throw new AssertionError("OpenAPI contract: " + x.method() + " " + x.path()
                    + (x.query() == null ? "" : "?" + x.query()) + " -> " + x.status() + "\n  "
                    + String.join("\n  ", violations) + "\n  answer body: " + x.responseBody());
        }
    }

    private static String messages(ValidationReport report) {
        return report.getMessages().stream()
                .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .map(m -> m.getKey() + ": " + m.getMessage())
                .distinct()
                .reduce((a, b) -> a + "; " + b).orElse("");
    }

    private static String first(Map<String, List<String>> headers, String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /**
     * The document as the check reads it: every response object that names its fields names all of
     * them (only here: shipped clients must keep accepting fields added later). Members of an
     * {@code allOf} stay open, or each would refuse the fields of the others.
     */
    @SuppressWarnings("unchecked")
    private static String strict(String text) {
        Map<String, Object> doc = new Yaml().load(text);
        Set<String> composed = new java.util.HashSet<>();
        walk(doc, node -> {
            if (node.get("allOf") instanceof List<?> members) {
                members.forEach(m -> {
                    if (m instanceof Map<?, ?> member && member.get("$ref") instanceof String ref) {
                        composed.add(ref.substring(ref.lastIndexOf('/') + 1));
                    }
                    if (m instanceof Map<?, ?> member) {
                        ((Map<String, Object>) member).put("x-open", true);
                    }
                });
            }
        });
        Map<String, Object> schemas = (Map<String, Object>) ((Map<String, Object>) doc.get("components")).get("schemas");
        composed.forEach(name -> ((Map<String, Object>) schemas.get(name)).put("x-open", true));
        walk(doc, node -> {
            if (node.get("properties") instanceof Map && !node.containsKey("additionalProperties")
                    && node.remove("x-open") == null) {
                node.put("additionalProperties", false);
            }
            node.remove("x-open");
        });
        return new Yaml().dump(doc);
    }

    @SuppressWarnings("unchecked")
    private static void walk(Object node, java.util.function.Consumer<Map<String, Object>> visit) {
        if (node instanceof Map<?, ?> map) {
            visit.accept((Map<String, Object>) map);
            new ArrayList<>(map.values()).forEach(v -> walk(v, visit));
        } else if (node instanceof List<?> list) {
            list.forEach(v -> walk(v, visit));
        }
    }
}
