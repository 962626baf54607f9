package marketbackend;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.openapi.OpenApiFeature;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.helidon.webserver.testing.junit5.SetUpServer;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import marketbackend.support.Api;
import marketbackend.support.TestApp;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * The served OpenAPI document and the routing agree: every documented operation is routed (it
 * does not fall through to the catch-all 404), and every operation says its tag and its errors.
 */
@ServerTest
class OpenApiDocumentTest {
    private static final String FALL_THROUGH = "Resource not found";

    private final Http1Client client;
    private final Api api;

    OpenApiDocumentTest(Http1Client client) {
        this.client = client;
        this.api = new Api(client);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        server.addFeature(OpenApiFeature.builder().build());
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder r) {
        Server.routing(r, TestApp.get());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> document() {
        try (HttpClientResponse res = client.get("/openapi").header(HeaderNames.ACCEPT, "application/vnd.oai.openapi")
                .request()) {
            assertThat(res.status().code(), is(200));
            return new Yaml().load(res.as(String.class));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyDocumentedOperationIsRouted() {
        Map<String, Object> paths = (Map<String, Object>) document().get("paths");
        List<String> unrouted = new ArrayList<>();
        int operations = 0;
        for (var path : paths.entrySet()) {
            if (path.getKey().startsWith("/api/manager")) {
                continue; // the managers' part is tested with their routes
            }
            for (String method : ((Map<String, Object>) path.getValue()).keySet()) {
                if (method.equals("parameters")) {
                    continue;
                }
                operations++;
                String uri = path.getKey().replace("{id}", "1");
                Method m = Method.create(method.toUpperCase(java.util.Locale.ROOT));
                Object body = m == Method.GET || m == Method.DELETE ? null : "{}";
                Api.Res res = api.call(m, uri, null, body, Map.of());
                if (res.status() == 404 && res.body().contains(FALL_THROUGH)) {
                    unrouted.add(method + " " + path.getKey());
                }
            }
        }
        assertThat(unrouted, is(empty()));
        assertThat(operations >= 30, is(true));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyOperationHasATagAndProblemAnswers() {
        Map<String, Object> paths = (Map<String, Object>) document().get("paths");
        List<String> missing = new ArrayList<>();
        for (var path : paths.entrySet()) {
            for (var op : ((Map<String, Object>) path.getValue()).entrySet()) {
                if (op.getKey().equals("parameters")) {
                    continue;
                }
                Map<String, Object> operation = (Map<String, Object>) op.getValue();
                Map<String, Object> responses = (Map<String, Object>) operation.get("responses");
                boolean hasError = responses.keySet().stream().anyMatch(code -> String.valueOf(code).startsWith("4"));
                if (operation.get("tags") == null || !hasError) {
                    missing.add(op.getKey() + " " + path.getKey());
                }
            }
        }
        assertThat(missing, is(empty()));
    }

    @Test
    void theServedDocumentIsTheOneTheContractCheckReads() throws java.io.IOException {
        try (var in = OpenApiDocumentTest.class.getResourceAsStream("/META-INF/openapi.yaml")) {
            Object source = new Yaml().load(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            assertThat(document(), is(source));
        }
        // a plain GET (what the README shows with curl) gets the same document
        try (HttpClientResponse res = client.get("/openapi").request()) {
            assertThat(res.status().code(), is(200));
            assertThat(new Yaml().load(res.as(String.class)), is(document()));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyCustomerAndManagerOperationNeedsABearerToken() {
        Map<String, Object> paths = (Map<String, Object>) document().get("paths");
        List<String> open = new ArrayList<>();
        for (var path : paths.entrySet()) {
            boolean publicPath = path.getKey().startsWith("/api/auth/") || path.getKey().equals("/api/markets")
                    || path.getKey().startsWith("/api/products") || path.getKey().equals("/api/categories")
                    || path.getKey().equals("/api/banners");
            for (var op : ((Map<String, Object>) path.getValue()).entrySet()) {
                if (!op.getKey().equals("parameters") && !publicPath
                        && !List.of(Map.of("bearerAuth", List.of())).equals(((Map<String, Object>) op.getValue()).get("security"))) {
                    open.add(op.getKey() + " " + path.getKey());
                }
            }
        }
        assertThat(open, is(empty()));
    }

    @Test
    void customerAndAuthPathsAreDocumented() {
        String text = new Yaml().dump(document());
        for (String path : List.of("/api/auth/code", "/api/auth/token", "/api/me", "/api/addresses/{id}",
                "/api/payment-methods/{id}", "/api/cart/items/{id}", "/api/wishlist/items/{id}", "/api/orders/{id}",
                "/api/notifications/{id}/read", "/api/products/{id}", "/api/markets")) {
            assertThat(path, text.contains(path + ":"), is(true));
        }
        assertThat(text, not(is("")));
    }
}
