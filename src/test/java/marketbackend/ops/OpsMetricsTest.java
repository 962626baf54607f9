package marketbackend.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.helidon.http.Method;
import io.helidon.webserver.WebServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import marketbackend.support.Api;
import marketbackend.support.Customers;
import marketbackend.support.Fixtures;
import marketbackend.support.Servers;
import marketbackend.support.Tools;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/** What an operator reads at /observe/metrics moves with the requests, logins and orders made. */
class OpsMetricsTest {
    private static WebServer server;
    private static Api api;

    @BeforeAll
    static void start() {
        server = Servers.start();
        api = Servers.client(server);
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @Test
    void requestsAreCountedAndTimedPerMarketActorAndStatus() {
        String ok = "market_requests_total{actor=\"guest\",market=\"US\",scope=\"application\",status=\"200\",}";
        String missing = "market_requests_total{actor=\"guest\",market=\"US\",scope=\"application\",status=\"404\",}";
        String latency = "market_request_duration_seconds_count{actor=\"guest\",market=\"US\",scope=\"application\",status=\"200\",}";
        double okBefore = value(ok);
        double missingBefore = value(missing);
        double latencyBefore = value(latency);
        for (int i = 0; i < 3; i++) {
            api.call(Method.GET, "/api/products", null, null, Map.of("X-Market", "US")).expect(200);
        }
        api.call(Method.GET, "/api/products/0", null, null, Map.of("X-Market", "US")).problem(404);
        assertThat(value(ok) - okBefore, is(3.0));
        assertThat(value(missing) - missingBefore, is(1.0));
        assertThat(value(latency) - latencyBefore, is(3.0));
        assertThat(metrics().contains(
                "market_request_duration_seconds_bucket{actor=\"guest\",market=\"US\",scope=\"application\",status=\"200\",le=\"0.1\",}"),
                is(true));
    }

    @Test
    void customersAreCountedUnderTheirOwnMarket() {
        Customers.Customer kg = Customers.create("KG");
        String key = "market_requests_total{actor=\"customer\",market=\"KG\",scope=\"application\",status=\"200\",}";
        double before = value(key);
        api.get("/api/me", kg.token()).expect(200);
        assertThat(value(key) - before, is(1.0));
    }

    /**
     * HikariCP's own gauges, and ours of the requests waiting their turn for a connection (db/Turns);
     * the first pool of this name in the JVM owns them, so only their presence is checked.
     */
    @Test
    void poolGaugesAreThere() {
        for (String gauge : new String[] {"max", "active", "idle", "pending"}) {
            value("hikaricp_connections_" + gauge + "{pool=\"market-app\",}");
        }
        assertThat(metrics(), containsString("market_db_waiting{pool=\"market-app\","));
    }

    @Test
    void loginCodesAreCountedPerMarket() {
        String us = "market_login_codes_sent_total{market=\"US\",scope=\"application\",}";
        double before = value(us);
        api.post("/api/auth/code", null, Map.of("phone", Fixtures.phone("US"))).expect(202);
        assertThat(value(us) - before, is(1.0));
    }

    @Test
    void newOrdersAreCountedPerMarketAndReplaysAreNot() throws Exception {
        Customers.Customer c = Customers.create("KG");
        long product = Fixtures.product("KG", Fixtures.unique("Metrics tea"), null, 10, Map.of("KG", "50.00"));
        long address = api.post("/api/addresses", c.token(), Map.of("line1", "пр. Чуй, 1", "city", "Бишкек",
                "region", "Bishkek", "postal_code", "720001")).expect(201).get("id").asLong();
        long card = api.post("/api/payment-methods", c.token(), Map.of("token", "tok_" + UUID.randomUUID().toString()
                .replace("-", ""), "brand", "visa", "last4", "4242", "exp_month", 12, "exp_year", 2099)).expect(201)
                .get("id").asLong();
        api.post("/api/cart/items", c.token(), Map.of("product_id", product, "quantity", 1));
        String kg = "market_orders_placed_total{market=\"KG\",scope=\"application\",}";
        double before = value(kg);
        Map<String, Object> order = Map.of("address_id", address, "payment_method_id", card);
        api.call(Method.POST, "/api/orders", c.token(), order, Map.of("Idempotency-Key", "metrics-1")).expect(201);
        api.call(Method.POST, "/api/orders", c.token(), order, Map.of("Idempotency-Key", "metrics-1")).expect(200);
        assertThat(value(kg) - before, is(1.0));
    }

    /**
     * Prometheus' own Python client (Debian's python3-prometheus-client) parses the whole page strictly:
     * every histogram has buckets, a count and a sum and nothing else, and the latency reads as a histogram.
     */
    @Test
    void prometheusOwnParserReadsValidHistograms() throws Exception {
        api.call(Method.GET, "/api/products", null, null, Map.of("X-Market", "KG")).expect(200);
        String text = metrics();
        Tools.required(Files.isExecutable(PYTHON) && run(PYTHON.toString(), "-c", "import prometheus_client").exit() == 0,
                PYTHON + " with prometheus_client is missing: install Debian's python3-prometheus-client");
        Run parsed = run(PYTHON.toString(), "-c", PARSE, text);
        assertThat(parsed.output(), parsed.exit(), is(0));
        Map<String, String> problems = new java.util.TreeMap<>();
        JsonNode families = new ObjectMapper().readTree(parsed.output());
        families.fields().forEachRemaining(f -> {
            JsonNode fam = f.getValue();
            if (fam.get("type").asText().equals("histogram")) {
                java.util.Set<String> suffixes = new java.util.TreeSet<>();
                fam.get("samples").forEach(s -> suffixes.add(s.asText()));
                if (!suffixes.equals(java.util.Set.of("_bucket", "_count", "_sum", "_created"))
                        && !suffixes.equals(java.util.Set.of("_bucket", "_count", "_sum"))) {
                    problems.put(f.getKey(), "histogram with samples " + suffixes);
                }
            }
        });
        assertThat(problems.toString(), problems.isEmpty(), is(true));
        JsonNode latency = families.get("market_request_duration_seconds");
        assertThat(String.valueOf(latency), latency != null && latency.get("type").asText().equals("histogram"), is(true));
    }

    private static final Path PYTHON = Path.of("/usr/bin/python3");

    /** Each family the parser reads: its type and the suffixes of its samples (empty suffix for the plain sample). */
    private static final String PARSE = """
            import json, sys
            from prometheus_client.parser import text_string_to_metric_families
            out = {}
            for f in text_string_to_metric_families(sys.argv[1]):
                suffixes = sorted({s.name[len(f.name):] if s.name.startswith(f.name) else s.name for s in f.samples}
                                  | ({'quantile'} if any('quantile' in s.labels for s in f.samples) else set()))
                if f.name in out:
                    raise SystemExit('family twice: ' + f.name)
                out[f.name] = {'type': f.type, 'samples': suffixes}
            print(json.dumps(out))
            """;

    private record Run(int exit, String output) {
    }

    private static Run run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out);
    }

    private static String metrics() {
        return api.call(Method.GET, "/observe/metrics", null, null, Map.of("Accept", "text/plain")).body();
    }

    /** The value of one series, 0 when it does not exist yet (a counter before its first event). */
    private static double value(String series) {
        String text = metrics();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        if (!m.find()) {
            if (series.startsWith("hikaricp")) {
                throw new AssertionError(series + " missing in\n" + text);
            }
            return 0;
        }
        return Double.parseDouble(m.group(1));
    }
}
