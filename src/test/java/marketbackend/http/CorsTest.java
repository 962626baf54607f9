package marketbackend.http;

import java.util.Map;

import io.helidon.http.Method;
import io.helidon.webserver.WebServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import marketbackend.support.Api;
import marketbackend.support.Customers;
import marketbackend.support.Servers;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** CORS_ALLOWED_ORIGINS on a production-built server: the headers a browser checks (BrowserStorefrontTest runs a real one). */
class CorsTest {
    private static final String SHOP = "http://127.0.0.1:3000";
    private static WebServer allowing;
    private static WebServer closed;

    @BeforeAll
    static void start() {
        allowing = Servers.start(Map.of("CORS_ALLOWED_ORIGINS", SHOP + ", https://shop.example.com"));
        closed = Servers.start();
    }

    @AfterAll
    static void stop() {
        allowing.stop();
        closed.stop();
    }

    private static Api.Res preflight(WebServer server, String origin, String path) {
        return Servers.client(server).call(Method.OPTIONS, path, null, null, Map.of("Origin", origin,
                "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "authorization, content-type, idempotency-key, x-market"));
    }

    @Test
    void preflightOfAnAllowedOriginIsAnsweredBeforeAnyCheck() {
        // a manager path without a token would be 401: the preflight never gets that far
        for (String path : new String[] {"/api/orders", "/api/manager/orders"}) {
            Api.Res r = preflight(allowing, SHOP, path);
            assertThat(r.toString(), r.status(), is(204));
            assertThat(r.header("Access-Control-Allow-Origin"), is(SHOP));
            assertThat(r.header("Access-Control-Allow-Headers"), is("X-Market, Authorization, Idempotency-Key, Content-Type"));
            assertThat(r.header("Access-Control-Allow-Methods"), containsString("PATCH"));
            assertThat(r.header("Access-Control-Allow-Credentials"), nullValue());
            assertThat(r.header("Vary"), containsString("Origin"));
        }
    }

    @Test
    void otherOriginsGetNoCorsHeaders() {
        Api.Res r = preflight(allowing, "http://127.0.0.1:3001", "/api/orders");
        assertThat(r.status(), is(403));
        assertThat(r.header("Access-Control-Allow-Origin"), nullValue());
        Api.Res get = Servers.client(allowing).call(Method.GET, "/api/products", null, null,
                Map.of("Origin", "https://evil.example.com"));
        assertThat(get.status(), is(200));
        assertThat(get.header("Access-Control-Allow-Origin"), nullValue());
    }

    @Test
    void noOriginIsAllowedByDefault() {
        assertThat(preflight(closed, SHOP, "/api/products").status(), is(403));
        Api.Res get = Servers.client(closed).call(Method.GET, "/api/products", null, null, Map.of("Origin", SHOP));
        assertThat(get.header("Access-Control-Allow-Origin"), nullValue());
    }

    @Test
    void answersAndErrorsExposeTheMarketAndRequestId() {
        Api api = Servers.client(allowing);
        Api.Res ok = api.call(Method.GET, "/api/products", null, null, Map.of("Origin", SHOP, "X-Market", "US"));
        assertThat(ok.header("Access-Control-Allow-Origin"), is(SHOP));
        assertThat(ok.header("Access-Control-Expose-Headers"), is("X-Market, X-Request-Id"));
        assertThat(ok.header("X-Market"), is("US"));
        // a handler's error (headers rebuilt by the error mapping) and a filter's refusal
        Api.Res missing = api.call(Method.GET, "/api/products/0", null, null, Map.of("Origin", SHOP));
        missing.problem(404);
        assertThat(missing.header("Access-Control-Allow-Origin"), is(SHOP));
        Customers.Customer kg = Customers.create("KG");
        Api.Res switched = api.call(Method.GET, "/api/orders", kg.token(), null, Map.of("Origin", SHOP, "X-Market", "US"));
        switched.problem(403);
        assertThat(switched.header("Access-Control-Allow-Origin"), is(SHOP));
        assertThat(switched.header("Access-Control-Expose-Headers"), is("X-Market, X-Request-Id"));
    }

    @Test
    void aMalformedOriginSettingRefusesToStart() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Cors.fromSetting("shop.example.com"));
        assertThat(e.getMessage(), containsString("CORS_ALLOWED_ORIGINS"));
    }
}
