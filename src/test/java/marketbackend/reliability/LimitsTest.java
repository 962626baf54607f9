package marketbackend.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.helidon.webserver.WebServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import marketbackend.AppConfig;
import marketbackend.Server;
import marketbackend.auth.AuthSettings;
import marketbackend.db.Databases;
import marketbackend.db.Db;
import marketbackend.http.Contexts;
import marketbackend.support.Fixtures;
import marketbackend.support.TestDatabase;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.notNullValue;

/**
 * Every limit that bounds what one request may cost is an environment variable with a documented
 * default (README, "Configuration"), and each one is enforced as configured: here each is set low
 * on a server built like production and tested once, just under and just over.
 */
class LimitsTest {
    private static final List<Runnable> CLEANUP = new ArrayList<>();

    @AfterAll
    static void cleanup() {
        CLEANUP.forEach(Runnable::run);
    }

    @Test
    void everyLimitHasItsDocumentedDefault() {
        AppConfig d = AppConfig.fromEnv(Map.of());
        assertThat(d.maxPayloadBytes(), is(65_536L));
        assertThat(d.limits().maxHeaderBytes(), is(16_384));
        assertThat(d.limits().maxRequestLineBytes(), is(2048));
        assertThat(d.limits().maxPageSize(), is(100));
        assertThat(d.db().poolSize(), is(2 * Runtime.getRuntime().availableProcessors()));
        assertThat(d.db().poolTimeout(), is(Duration.ofMillis(3000)));
        assertThat(d.db().statementTimeout(), is(Duration.ofMillis(5000)));
        assertThat(d.limits().dbConnectTimeout(), is(Duration.ofMillis(3000)));
        assertThat(d.limits().dbSocketTimeout(), is(Duration.ofMillis(10_000)));
        assertThat(d.auth().ipCodesPerHour(), is(30));
        assertThat(d.auth().ipTokenTriesPerHour(), is(60));
        assertThat(d.auth().phone(), is(new AuthSettings.PhoneLimits(60, 5, 5)));
    }

    @Test
    void everyLimitIsReadFromTheEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("MAX_PAYLOAD_BYTES", "1000");
        env.put("MAX_HEADER_BYTES", "4000");
        env.put("MAX_REQUEST_LINE_BYTES", "300");
        env.put("MAX_PAGE_SIZE", "7");
        env.put("DB_POOL_SIZE", "3");
        env.put("DB_POOL_TIMEOUT_MS", "700");
        env.put("DB_STATEMENT_TIMEOUT_MS", "800");
        env.put("DB_CONNECT_TIMEOUT_MS", "900");
        env.put("AUTH_IP_CODES_PER_HOUR", "11");
        env.put("AUTH_IP_TOKEN_TRIES_PER_HOUR", "12");
        env.put("AUTH_PHONE_RESEND_SECONDS", "13");
        env.put("AUTH_PHONE_CODES_PER_HOUR", "14");
        env.put("AUTH_CODE_TRIES", "15");
        AppConfig c = AppConfig.fromEnv(env);
        assertThat(c.maxPayloadBytes(), is(1000L));
        assertThat(c.limits(), is(new AppConfig.Limits(4000, 300, 7, Duration.ofMillis(900), Duration.ofMillis(5800))));
        assertThat(c.db().poolSize(), is(3));
        assertThat(c.db().poolTimeout(), is(Duration.ofMillis(700)));
        assertThat(c.db().statementTimeout(), is(Duration.ofMillis(800)));
        assertThat(c.auth().ipCodesPerHour(), is(11));
        assertThat(c.auth().ipTokenTriesPerHour(), is(12));
        assertThat(c.auth().phone(), is(new AuthSettings.PhoneLimits(13, 14, 15)));
        env.put("DB_SOCKET_TIMEOUT_MS", "1234");
        assertThat(AppConfig.fromEnv(env).limits().dbSocketTimeout(), is(Duration.ofMillis(1234)));
    }

    @Test
    void bodyHeaderAndRequestLineSizes() {
        int port = serve(Map.of("MAX_PAYLOAD_BYTES", "1000", "MAX_HEADER_BYTES", "2048",
                "MAX_REQUEST_LINE_BYTES", "512"), null);
        String token = marketbackend.support.Customers.create("KG").token();
        String auth = "Authorization: Bearer " + token + "\r\n";
        RawHttp.Answer under = RawHttp.send(port, post("/api/addresses", auth, "{\"line1\":\"" + "x".repeat(900) + "\"}"));
        assertThat(under.toString(), under.status(), is(422));
        RawHttp.Answer over = RawHttp.send(port, post("/api/addresses", auth, "{\"line1\":\"" + "x".repeat(1100) + "\"}"));
        assertThat(over.toString(), over.status(), is(413));
        Checks.clientProblem(over.status(), over.header("Content-Type"), over.body(), "body over MAX_PAYLOAD_BYTES");

        RawHttp.Answer headersUnder = RawHttp.send(port, get("/api/products", "X-Pad: " + "a".repeat(1500) + "\r\n"));
        assertThat(headersUnder.toString(), headersUnder.status(), is(200));
        RawHttp.Answer headersOver = RawHttp.send(port, get("/api/products", "X-Pad: " + "a".repeat(2100) + "\r\n"));
        assertThat(headersOver.toString(), headersOver.status(), is(431));
        Checks.clientProblem(headersOver.status(), headersOver.header("Content-Type"), headersOver.body(), "MAX_HEADER_BYTES");

        RawHttp.Answer lineUnder = RawHttp.send(port, get("/api/products?pad=" + "a".repeat(400), ""));
        assertThat(lineUnder.toString(), lineUnder.status(), is(200));
        RawHttp.Answer lineOver = RawHttp.send(port, get("/api/products?pad=" + "a".repeat(600), ""));
        assertThat(lineOver.toString(), lineOver.status(), is(414));
        Checks.clientProblem(lineOver.status(), lineOver.header("Content-Type"), lineOver.body(), "MAX_REQUEST_LINE_BYTES");
    }

    @Test
    void pageSize() {
        int port = serve(Map.of("MAX_PAGE_SIZE", "5"), null);
        HttpJson http = new HttpJson(port);
        assertThat(http.get("/api/products?size=5", null, "KG").status(), is(200));
        assertThat(http.get("/api/products", null, "KG").json().get("size").asInt(), is(5));
        HttpJson.Res over = http.get("/api/products?size=6", null, "KG");
        assertThat(over.toString(), over.status(), is(400));
        Checks.clientProblem(over.status(), over.header("Content-Type"), over.body(), "MAX_PAGE_SIZE");
    }

    @Test
    void perPhoneLimits() {
        int port = serve(Map.of("AUTH_IP_CODES_PER_HOUR", "0", "AUTH_IP_TOKEN_TRIES_PER_HOUR", "0",
                "AUTH_PHONE_RESEND_SECONDS", "0", "AUTH_PHONE_CODES_PER_HOUR", "2", "AUTH_CODE_TRIES", "2"), null);
        HttpJson http = new HttpJson(port);
        String phone = Fixtures.phone("US");
        Map<String, Object> body = Map.of("phone", phone);
        assertThat(http.call("POST", "/api/auth/code", null, null, body, Map.of()).status(), is(202));
        // AUTH_CODE_TRIES=2: the third check of one code is refused whatever the code
        Map<String, Object> wrong = Map.of("phone", phone, "code", "000000");
        assertThat(http.call("POST", "/api/auth/token", null, null, wrong, Map.of()).status(), is(401));
        assertThat(http.call("POST", "/api/auth/token", null, null, wrong, Map.of()).status(), is(401));
        tooMany(http.call("POST", "/api/auth/token", null, null, wrong, Map.of()), "AUTH_CODE_TRIES");
        // AUTH_PHONE_RESEND_SECONDS=0, AUTH_PHONE_CODES_PER_HOUR=2: a second code at once, not a third
        assertThat(http.call("POST", "/api/auth/code", null, null, body, Map.of()).status(), is(202));
        tooMany(http.call("POST", "/api/auth/code", null, null, body, Map.of()), "AUTH_PHONE_CODES_PER_HOUR");
    }

    @Test
    void poolTimeoutAnswers503WithRetryAfter() throws Exception {
        // one connection, held by a slow request: the next one waits DB_POOL_TIMEOUT_MS, then 503
        int port = serve(Map.of("DB_POOL_SIZE", "1", "DB_POOL_TIMEOUT_MS", "300"), "1.5");
        HttpJson http = new HttpJson(port);
        CompletableFuture<HttpJson.Res> slow = CompletableFuture.supplyAsync(() -> http.get("/api/test/sleep", null, "KG"));
        Thread.sleep(400);
        HttpJson.Res waiting = http.get("/api/products", null, "KG");
        assertThat(waiting.toString(), waiting.status(), is(503));
        assertThat(waiting.millis(), lessThan(1400L));
        Checks.problem(503, waiting.header("Content-Type"), waiting.body(), "pool timeout");
        assertThat(waiting.header("Retry-After"), notNullValue());
        assertThat(slow.get().toString(), slow.get().status(), is(200));
    }

    @Test
    void statementTimeoutAnswers503() {
        int port = serve(Map.of("DB_STATEMENT_TIMEOUT_MS", "200"), "3");
        HttpJson.Res r = new HttpJson(port).get("/api/test/sleep", null, "KG");
        assertThat(r.toString(), r.status(), is(503));
        assertThat(r.millis(), lessThan(2500L));
        Checks.problem(503, r.header("Content-Type"), r.body(), "statement timeout");
        assertThat(r.header("Retry-After"), notNullValue());
    }

    private static void tooMany(HttpJson.Res r, String what) {
        assertThat(what + ": " + r, r.status(), is(429));
        Checks.clientProblem(429, r.header("Content-Type"), r.body(), what);
        assertThat(what + ": Retry-After", r.header("Retry-After"), notNullValue());
    }

    /**
     * A server built like production on the test database, with some environment variables changed
     * and its own pool; with {@code sleepSeconds}, one extra route {@code /api/test/sleep} runs pg_sleep
     * in the request's transaction. Answers the port.
     */
    private static int serve(Map<String, String> changes, String sleepSeconds) {
        AppConfig cfg = TestDatabase.get().config(changes);
        Db db = Databases.requestPool(cfg);
        Server.App app = Server.App.create(cfg, db);
        var builder = Server.configure(WebServer.builder(), app).host("127.0.0.1").port(0);
        if (sleepSeconds != null) {
            builder.routing(r -> {
                r.get("/api/test/sleep", (req, res) -> {
                    db.inMarket(Contexts.of(req), tx -> tx.get("SELECT pg_sleep(" + sleepSeconds + ") IS NULL AS slept"));
                    res.send("slept");
                });
                Server.routing(r, app);
            });
        }
        WebServer server = builder.build().start();
        CLEANUP.add(() -> {
            server.stop();
            db.close();
        });
        return server.port();
    }

    private static String get(String target, String headers) {
        return "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n" + headers + "Connection: close\r\n\r\n";
    }

    private static String post(String target, String headers, String json) {
        return "POST " + target + " HTTP/1.1\r\nHost: localhost\r\n" + headers + "Content-Type: application/json\r\n"
                + "Content-Length: " + json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                + "\r\nConnection: close\r\n\r\n" + json;
    }
}
