package marketbackend.reliability;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

import marketbackend.Server;
import marketbackend.support.Api;
import marketbackend.support.Fixtures;
import marketbackend.support.TestApp;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * Coverage of the contract, derived from the document itself: for every operation, the requests that
 * apply to it among one without a token, one for another market, one with a body above the limit, one
 * with a body of the wrong content type, and a body sent to an operation that takes none. Each answer has its expected status, which the operation must
 * document, and passes the contract check (problem+json shape, headers) like every other answer of RawHttp.
 */
@ServerTest
class ContractCoverageTest {
    private static final int OVER_LIMIT = 70_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static String customerKg;
    private static String managerKg;
    private final int port;

    ContractCoverageTest(WebServer server) {
        this.port = server.port();
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Server.configure(server, TestApp.get());
    }

    @BeforeAll
    static void callers() throws Exception {
        customerKg = Api.token(Fixtures.user("KG"), "KG");
        managerKg = Api.managerToken(Fixtures.manager("KG", "manager", "KG"), "KG");
    }

    /** One derived request: what it breaks, the operation, and the status the server must answer. */
    record Probe(String kind, String method, String path, String operationId, Map<String, String> headers, byte[] body,
                 int expected) {
        @Override
        public String toString() {
            return kind + ": " + operationId + " (" + method + " " + path + ") -> " + expected;
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> document() throws Exception {
        try (InputStream in = ContractCoverageTest.class.getResourceAsStream("/META-INF/openapi.yaml")) {
            return new Yaml().load(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @SuppressWarnings("unchecked")
    static Stream<Probe> probes() throws Exception {
        Map<String, Object> doc = document();
        Map<String, Object> paths = (Map<String, Object>) doc.get("paths");
        Map<String, Object> shared = (Map<String, Object>) ((Map<String, Object>) doc.get("components")).get("parameters");
        List<Probe> out = new ArrayList<>();
        paths.forEach((template, item) -> ((Map<String, Object>) item).forEach((method, o) -> {
            if (!(o instanceof Map<?, ?> raw) || method.equals("parameters")) {
                return;
            }
            Map<String, Object> op = (Map<String, Object>) raw;
            String id = (String) op.get("operationId");
            String path = template.replaceAll("\\{[^}]+}", "1");
            String verb = method.toUpperCase(java.util.Locale.ROOT);
            List<Object> security = (List<Object>) op.get("security");
            boolean tokenRequired = security != null && !security.isEmpty()
                    && security.stream().noneMatch(s -> s instanceof Map<?, ?> m && m.isEmpty());
            boolean manager = template.startsWith("/api/manager/");
            String token = manager ? managerKg : customerKg;
            boolean hasBody = op.containsKey("requestBody");
            Map<String, String> required = new LinkedHashMap<>();
            for (Object given : (List<Object>) op.getOrDefault("parameters", List.of())) {
                Object param = given instanceof Map<?, ?> r && r.get("$ref") instanceof String ref
                        ? shared.get(ref.substring(ref.lastIndexOf('/') + 1)) : given;
                if (param instanceof Map<?, ?> pm && "header".equals(pm.get("in")) && Boolean.TRUE.equals(pm.get("required"))) {
                    required.put((String) pm.get("name"), "probe-" + id);
                }
            }
            byte[] validJson = "{}".getBytes(StandardCharsets.UTF_8);
            if (tokenRequired) {
                Map<String, String> anonymous = new LinkedHashMap<>(required);
                if (hasBody) {
                    anonymous.put("Content-Type", "application/json");
                }
                out.add(new Probe("no token", verb, path, id, anonymous, hasBody ? validJson : null, 401));
                Map<String, String> h = new LinkedHashMap<>(required);
                h.put("Authorization", "Bearer " + token);
                h.put("X-Market", "US");
                if (hasBody) {
                    h.put("Content-Type", "application/json");
                }
                out.add(new Probe("another market", verb, path, id, h, hasBody ? validJson : null, 403));
            }
            if (hasBody) {
                Map<String, String> auth = new LinkedHashMap<>(required);
                if (tokenRequired) {
                    auth.put("Authorization", "Bearer " + token);
                }
                Map<String, String> big = new LinkedHashMap<>(auth);
                big.put("Content-Type", "application/json");
                byte[] padded = ("{\"pad\":\"" + "x".repeat(OVER_LIMIT) + "\"}").getBytes(StandardCharsets.UTF_8);
                out.add(new Probe("body above the limit", verb, path, id, big, padded, 413));
                Map<String, String> text = new LinkedHashMap<>(auth);
                text.put("Content-Type", "text/plain");
                out.add(new Probe("wrong content type", verb, path, id, text, validJson, 415));
            } else if (!verb.equals("GET")) {
                // strict both ways: an operation without a request body refuses one, small or large
                Map<String, String> h = new LinkedHashMap<>(required);
                if (tokenRequired) {
                    h.put("Authorization", "Bearer " + token);
                }
                h.put("Content-Type", "application/json");
                out.add(new Probe("a body where none is taken", verb, path, id, h, validJson, 400));
                out.add(new Probe("a body above the limit where none is taken", verb, path, id, h,
                        ("{\"pad\":\"" + "x".repeat(OVER_LIMIT) + "\"}").getBytes(StandardCharsets.UTF_8), 413));
            }
        }));
        return out.stream();
    }

    @Test
    void everyOperationIsProbed() throws Exception {
        long operations = probes().map(Probe::operationId).distinct().count();
        assertThat(operations, greaterThan(55L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("probes")
    @SuppressWarnings("unchecked")
    void theAnswerIsTheDocumentedOne(Probe p) throws Exception {
        Map<String, List<String>> sent = new LinkedHashMap<>();
        p.headers().forEach((k, v) -> sent.put(k, List.of(v)));
        // a raw socket: the server may answer 413 and close before it has read the whole body (RawHttp checks the contract)
        RawHttp.Answer res = RawHttp.send(port, RawHttp.request(p.method(), p.path(), sent, p.body()));
        assertThat(p + ": " + res.body(), res.status(), is(p.expected()));
        assertThat(res.header("Content-Type"), startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(res.body());
        assertThat(problem.path("status").asInt(), is(p.expected()));
        Map<String, Object> op = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) document()
                .get("paths")).entrySet().stream().filter(e -> e.getKey().replaceAll("\\{[^}]+}", "1").equals(p.path()))
                .findFirst().orElseThrow().getValue()).get(p.method().toLowerCase(java.util.Locale.ROOT));
        assertThat(p + " is documented", (Map<String, Object>) op.get("responses"), hasKey(Integer.toString(p.expected())));
    }
}
