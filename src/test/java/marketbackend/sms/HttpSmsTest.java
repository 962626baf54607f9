package marketbackend.sms;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import marketbackend.AppConfig;
import marketbackend.Server;
import marketbackend.support.Api;
import marketbackend.support.Fixtures;
import marketbackend.support.Sql;
import marketbackend.support.TestApp;
import marketbackend.support.TestDatabase;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/** SMS_MODE=http: each market's messages go to that market's endpoint (a stub HTTP server here). */
@ServerTest
class HttpSmsTest {
    private static final Pattern CODE = Pattern.compile("(?<![0-9])[0-9]{6}(?![0-9])");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
    /** The status the stub answers with. */
    private static final AtomicInteger ANSWER = new AtomicInteger(200);
    /** Answer mode: take longer than the sender's timeout. */
    private static final int SLOW = -1;
    private static HttpServer stub;

    record Received(String path, String authorization, JsonNode body) {
    }

    private final Api api;

    HttpSmsTest(Http1Client client) {
        this.api = new Api(client);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder r) throws IOException {
        stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stub.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (ANSWER.get() == SLOW) {
                sleep(Duration.ofSeconds(5));
            }
            RECEIVED.add(new Received(exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"), JSON.readTree(body)));
            byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(ANSWER.get() == SLOW ? 200 : ANSWER.get(), answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        // several threads, so that a slow answer does not hold up the next test's message
        stub.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        stub.start();
        String base = "http://127.0.0.1:" + stub.getAddress().getPort();
        AppConfig cfg = TestDatabase.get().config(Map.of("SMS_MODE", "http",
                "SMS_HTTP_URL_KG", base + "/kg/send",
                "SMS_HTTP_URL_US", base + "/us/messages",
                "SMS_HTTP_TOKEN_US", "us-provider-key",
                "SMS_HTTP_TIMEOUT_MS", "2000",
                "AUTH_IP_CODES_PER_HOUR", "0",
                "AUTH_IP_TOKEN_TRIES_PER_HOUR", "0"));
        Server.routing(r, Server.App.create(cfg, TestApp.get().db()));
    }

    @AfterAll
    static void stop() {
        if (stub != null) {
            stub.stop(0);
        }
    }

    @BeforeEach
    void reset() {
        ANSWER.set(200);
    }

    @ParameterizedTest
    @CsvSource({"KG, /kg/send, nikita, Код", "US, /us/messages, twilio, code"})
    void theCodeGoesToTheMarketsProvider(String market, String path, String provider, String word) throws Exception {
        String phone = Fixtures.phone(market);
        requestCode(phone).expect(202);
        Received sms = RECEIVED.stream().filter(m -> phone.equals(m.body().path("to").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("the stub got no SMS to " + phone + ": " + RECEIVED));
        assertThat(sms.path(), is(path));
        assertThat(sms.body().get("market").asText(), is(market));
        assertThat(sms.body().get("provider").asText(), is(provider));
        assertThat(sms.body().get("text").asText(), containsString(word));
        assertThat(sms.authorization(), is("US".equals(market) ? "Bearer us-provider-key" : null));
        // nothing in the outbox in http mode, and the code from the provider logs in
        assertThat(count("SELECT count(*) FROM sms_outbox WHERE phone = ?", phone), is(0L));
        Matcher m = CODE.matcher(sms.body().get("text").asText());
        assertThat(m.find(), is(true));
        JsonNode token = api.post("/api/auth/token", null, Map.of("phone", phone, "code", m.group())).expect(200);
        assertThat(token.get("user").get("market").asText(), is(market));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void aFailingProviderIs503AndLeavesNoCode(String market) throws Exception {
        String phone = Fixtures.phone(market);
        ANSWER.set(500);
        requestCode(phone).problem(503);
        // the code was rolled back: it does not count against the resend limit either
        assertThat(count("SELECT count(*) FROM verification_codes WHERE phone = ?", phone), is(0L));
        ANSWER.set(202);
        requestCode(phone).expect(202);
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void aProviderSlowerThanTheTimeoutIs503(String market) throws Exception {
        String phone = Fixtures.phone(market);
        ANSWER.set(SLOW);
        requestCode(phone).problem(503);
        assertThat(count("SELECT count(*) FROM verification_codes WHERE phone = ?", phone), is(0L));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Api.Res requestCode(String phone) {
        return api.post("/api/auth/code", null, Map.of("phone", phone));
    }

    private static long count(String sql, Object... params) throws Exception {
        try (var c = TestDatabase.get().owner()) {
            return Sql.count(c, sql, params);
        }
    }
}
