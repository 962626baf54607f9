package marketbackend.db;

import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;

import io.helidon.dbclient.DbClientException;
import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import marketbackend.Server;
import marketbackend.auth.Login;
import marketbackend.context.RequestContext;
import marketbackend.context.RequestTransaction;
import marketbackend.support.Api;
import marketbackend.support.Customers;
import marketbackend.support.Fixtures;
import marketbackend.support.TestDatabase;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * How many times each hot endpoint talks to the database, counted by the server's own pool
 * ({@link Db#roundTrips()}: statements, commits, rollbacks), on a server of its own so that no
 * other test's requests are counted. docs/BENCHMARKS.md has the table before and after.
 */
@ServerTest
class RoundTripTest {
    private static final Server.App APP = Server.App.create(TestDatabase.get().config(),
            Databases.requestPool(TestDatabase.get().config()));

    private final Api api;

    RoundTripTest(Http1Client client) {
        this.api = new Api(client);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder r) {
        Server.routing(r, APP);
    }

    /** Round trips of one request, after the same request once warmed the caches (markets, totals). */
    /** BEGIN + the guest's context + the token's owner; the exchange's five statements; the manager lookup; COMMIT. */
    private static final long REFRESH_TRIPS = 8L;

    private long trips(Method method, String path, String token, Map<String, String> headers, int status) {
        api.call(method, path, token, null, headers).expect(status);
        long before = APP.db().roundTrips().total();
        api.call(method, path, token, null, headers).expect(status);
        return APP.db().roundTrips().total() - before;
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void aGuestReadIsOneRoundTripACustomerReadTwo(String market) throws Exception {
        long product = Fixtures.product(market, Fixtures.unique("rt"), null, 3, Map.of(market, "10.00"));
        Map<String, String> inMarket = Map.of("X-Market", market);
        // the context and the query travel together: no BEGIN, no COMMIT
        assertThat("catalog page", trips(Method.GET, "/api/products?size=100&q=rt", null, inMarket, 200), is(1L));
        assertThat("product by id", trips(Method.GET, "/api/products/" + product, null, inMarket, 200), is(1L));
        assertThat("another market's product", trips(Method.GET, "/api/products/" + product, null,
                Map.of("X-Market", Customers.other(market)), 404), is(1L));
        Customers.Customer c = Customers.create(market);
        // a customer's too: the database checks the token's session while it verifies the context
        assertThat("order history", trips(Method.GET, "/api/orders", c.token(), Map.of(), 200), is(1L));
        assertThat("profile", trips(Method.GET, "/api/me", c.token(), Map.of(), 200), is(1L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void aManagerReadIsOneTransactionOfThreeRoundTrips(String market) throws Exception {
        long manager = Fixtures.manager(market, "manager", market);
        String token = APP.sessions().open(manager, market, true, null, "round-trips").accessToken();
        Map<String, String> inMarket = Map.of("X-Market", market);
        // BEGIN + context + the manager's record; context + the work; COMMIT (a short page: no count)
        assertThat("order list", trips(Method.GET, "/api/manager/orders?size=100&from=2999-01-01", token, inMarket, 200),
                is(3L));
        assertThat("revenue of a day", trips(Method.GET, "/api/manager/revenue?date=" + LocalDate.now(), token,
                inMarket, 200), is(3L));
        // refused in the lookup: the held transaction is rolled back
        assertThat("a market not managed", trips(Method.GET, "/api/manager/orders", token,
                Map.of("X-Market", Customers.other(market)), 403), is(2L));
    }

    /** Saving the active market: the lookup, the read of the old choice, the write, its audit entry, one COMMIT. */
    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void aManagersSettingsAreOneTransaction(String market) throws Exception {
        long manager = Fixtures.manager(market, "manager", market);
        String token = APP.sessions().open(manager, market, true, null, "round-trips").accessToken();
        api.call(Method.PUT, "/api/manager/settings", token, Map.of("active_market", market), Map.of()).expect(200);
        long before = APP.db().roundTrips().total();
        var answer = api.call(Method.PUT, "/api/manager/settings", token, Map.of("active_market", market), Map.of())
                .expect(200);
        assertThat(answer.get("active_market").asText(), is(market));
        assertThat(APP.db().roundTrips().total() - before, is(5L));
    }

    /**
     * A refresh is one transaction: as a guest, whose token it is; as that user, the exchange; as a
     * manager, whether they manage a market; one COMMIT.
     */
    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void aRefreshIsOneTransaction(String market) throws Exception {
        long manager = Fixtures.manager(market, "manager", market);
        String refresh = APP.sessions().open(manager, market, true, null, "round-trips").refreshToken();
        long before = APP.db().roundTrips().total();
        var answer = api.call(Method.POST, "/api/auth/refresh", null, Map.of("refresh_token", refresh), Map.of())
                .expect(200);
        assertThat(APP.db().roundTrips().total() - before, is(REFRESH_TRIPS));
        assertThat(APP.sessions().authenticate("Bearer " + answer.get("access_token").asText()).manager(), is(true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void checkoutIsOneTransaction(String market) throws Exception {
        Customers.Customer c = Customers.create(market);
        Customers.Payable payable = Customers.payable(api, c);
        long card = payable.card();
        long address = payable.address();
        long product = Fixtures.product(market, Fixtures.unique("rt"), null, 5, Map.of(market, "10.00"));
        api.post("/api/cart/items", c.token(), Map.of("product_id", product, "quantity", 1)).expect(201);
        // the market list is cached 30 s: refresh it now, so that its reload is not counted below
        api.get("/api/markets", null).expect(200);
        long before = APP.db().roundTrips().total();
        api.call(Method.POST, "/api/orders", c.token(), Map.of("address_id", address, "payment_method_id", card),
                Map.of("Idempotency-Key", UUID.randomUUID().toString())).expect(201);
        // lock, earlier order, address, card, cart, cart items, order, 1 item, clear cart, notification,
        // the order as answered (2), COMMIT
        assertThat(APP.db().roundTrips().total() - before, is(13L));
    }

    /**
     * Every request is one transaction, whatever it does in it: the four requests docs/ARCHITECTURE.md
     * follows, the login, and a revenue compare of two markets. A second one would be refused by the
     * server before it reached the database (a 500).
     */
    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void eachRequestIsOneTransaction(String market) throws Exception {
        long manager = Fixtures.manager(market, "manager", "KG", "US");
        String managerToken = APP.sessions().open(manager, market, true, null, "round-trips").accessToken();
        long product = Fixtures.product(market, Fixtures.unique("rt"), null, 5, Map.of(market, "10.00"));
        Map<String, String> inMarket = Map.of("X-Market", market);
        assertThat("catalog page", transactions(() -> api.call(Method.GET, "/api/products?q=rt", null, null, inMarket)
                .expect(200)), is(1L));
        assertThat("a product changed", transactions(() -> api.call(Method.PATCH, "/api/manager/products/" + product,
                managerToken, Map.of("name", Fixtures.unique("rt"), "price", "11.00"), inMarket).expect(200)), is(1L));
        assertThat("revenue of two markets", transactions(() -> api.call(Method.GET, "/api/manager/revenue/compare",
                managerToken, null, inMarket).expect(200)), is(1L));

        Customers.Customer c = Customers.create(market);
        Customers.Payable payable = Customers.payable(api, c);
        api.post("/api/cart/items", c.token(), Map.of("product_id", product, "quantity", 1)).expect(201);
        assertThat("checkout", transactions(() -> api.call(Method.POST, "/api/orders", c.token(),
                Map.of("address_id", payable.address(), "payment_method_id", payable.card()),
                Map.of("Idempotency-Key", UUID.randomUUID().toString())).expect(201)), is(1L));

        String phone = Fixtures.phone(market);
        api.post("/api/auth/code", null, Map.of("phone", phone)).expect(202);
        String code = Login.lastCode(phone);
        var login = new Object() {
            String refresh;
        };
        assertThat("login", transactions(() -> login.refresh = api.post("/api/auth/token", null,
                Map.of("phone", phone, "code", code)).expect(200).get("refresh_token").asText()), is(1L));
        assertThat("refresh", transactions(() -> api.post("/api/auth/refresh", null,
                Map.of("refresh_token", login.refresh)).expect(200)), is(1L));
    }

    /** The rule behind the test above: a request's second transaction never reaches the database. */
    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void aRequestsSecondTransactionIsRefusedBeforeTheDatabase(String market) {
        RequestContext ctx = RequestContext.guest(market, "rt-" + UUID.randomUUID())
                .inTransaction(RequestTransaction.unopened());
        assertThat(APP.db().read(ctx, tx -> tx.query("SELECT 1 AS one")).size(), is(1));
        long before = APP.db().roundTrips().total();
        assertThrows(IllegalStateException.class, () -> APP.db().inMarket(ctx, tx -> tx.query("SELECT 1 AS one")));
        assertThrows(IllegalStateException.class, () -> APP.db().read(ctx, tx -> tx.query("SELECT 1 AS one")));
        assertThat(APP.db().roundTrips().total() - before, is(0L));
    }

    /** What the manager API's gate holds for a GET: a read-only transaction, in which an injected write fails. */
    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void aReadOnlyHeldTransactionRefusesWrites(String market) throws Exception {
        long manager = Fixtures.manager(market, "manager", market);
        RequestContext ctx = RequestContext.manager(market, manager, "rt-" + UUID.randomUUID())
                .inTransaction(RequestTransaction.unopened());
        try (Db.Held held = APP.db().hold(ctx, true)) {
            assertThat(held.tx().query("SELECT market FROM store_manager_markets").size(), is(1));
            DbClientException refused = assertThrows(DbClientException.class, () -> held.tx().dml(
                    "INSERT INTO manager_settings (user_id, active_market) VALUES (?, ?)", manager, market));
            assertThat(refused.getMessage(), containsString("read-only transaction"));
        }
    }

    private static long transactions(Runnable request) {
        long before = APP.db().roundTrips().transactions();
        request.run();
        return APP.db().roundTrips().transactions() - before;
    }
}
