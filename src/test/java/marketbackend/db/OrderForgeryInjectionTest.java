package marketbackend.db;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import marketbackend.Server;
import marketbackend.context.Actor;
import marketbackend.context.RequestContext;
import marketbackend.support.Api;
import marketbackend.support.Customers;
import marketbackend.support.Fixtures;
import marketbackend.support.Sql;
import marketbackend.support.TestApp;
import marketbackend.support.TestDatabase;

import static marketbackend.db.Rls.other;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The injection harness, issue 21 item 6: a customer's injected SQL (market_app, right after the
 * server's own context statement) writes an order by hand, free: total 0, items at price 0, each
 * product's whole stock. The database prices it from product_prices of the order's market, or
 * refuses it; it takes stock only for a priced item, keeps the API's caps (1 to 1000 of a product,
 * one line per product, an address and an unexpired card of the buyer, at least one item), and
 * nothing of the other market changes. The API's own checkout still works, in KG and in US.
 */
@ServerTest
class OrderForgeryInjectionTest {
    private static final Map<String, String> OWN_PRICE = Map.of("KG", "1250.00", "US", "19.99");
    private static final Map<String, String> ALL_PRICES = Map.of("KG", "45000.00", "US", "499.00");
    private static final String FREE_ITEM = "INSERT INTO order_items (order_id, product_id, product_name, quantity, "
            + "unit_price, line_total) VALUES (?, ?, 'free', ?, 0, 0)";
    private static final String FREE_ORDER = "INSERT INTO orders (user_id, total_amount, address_id, payment_method_id) "
            + "VALUES (?, 0, ?, ?) RETURNING id";

    private final Api api;

    OrderForgeryInjectionTest(Http1Client client) {
        this.api = new Api(client);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder r) {
        Server.routing(r, TestApp.get());
    }

    /** A customer of its own (this test commits), with an address and a card, written as the owner. */
    private record Buyer(long id, String market, long address, long card, long expiredCard) {
        static Buyer of(String market) throws SQLException {
            long user = Fixtures.user(market);
            try (Connection c = TestDatabase.get().owner()) {
                long address = Sql.insertId(c, "INSERT INTO addresses (user_id, line1, city, region, postal_code) "
                        + "VALUES (?, '1 Test St', 'City', 'Region', '0001') RETURNING id", user);
                String card = "INSERT INTO payment_methods (user_id, token, brand, last4, exp_month, exp_year) "
                        + "VALUES (?, 'tok_forge', 'visa', '4242', 1, ?) RETURNING id";
                return new Buyer(user, market, address, Sql.insertId(c, card, user, 2099),
                        Sql.insertId(c, card, user, 2001));
            }
        }

        /** A transaction of this customer's request, opened with the server's own context statement. */
        Connection request() throws SQLException {
            Connection c = TestDatabase.get().app();
            Sql.begin(c, new RequestContext(Actor.CUSTOMER, market, id, "forge-" + UUID.randomUUID(), null));
            return c;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void aHandWrittenFreeOrderIsPricedByTheDatabaseOrRefused(String market) throws SQLException {
        String theirs = other(market);
        Buyer b = Buyer.of(market);
        long own = Fixtures.product(market, Fixtures.unique("forge own"), null, 5, Map.of(market, OWN_PRICE.get(market)));
        long all = Fixtures.product("ALL", Fixtures.unique("forge all"), null, 7, ALL_PRICES);
        long plenty = Fixtures.product(market, Fixtures.unique("forge plenty"), null, 2000, Map.of(market, "1.00"));
        long soldOnlyThere = Fixtures.product("ALL", Fixtures.unique("forge there"), null, 4, Map.of(theirs, "3.00"));
        long theirsOnly = Fixtures.product(theirs, Fixtures.unique("forge theirs"), null, 3, Map.of(theirs, "3.00"));
        String otherMarket = otherMarketRows(theirs);

        long order;
        try (Connection c = b.request()) {
            // the way the API places an order: the buyer's own address and a card that has not expired
            assertThat("no address, no card", Sql.sqlState(c, "INSERT INTO orders (user_id, total_amount) VALUES (?, 0)",
                    b.id()), notNullValue());
            assertThat("an expired card", Sql.sqlState(c, FREE_ORDER, b.id(), b.address(), b.expiredCard()), notNullValue());
            order = Sql.insertId(c, FREE_ORDER, b.id(), b.address(), b.card());
            // each product's whole stock at price 0: accepted only at the database's price
            assertThat(Sql.sqlState(c, FREE_ITEM, order, own, 5), nullValue());
            assertThat(Sql.sqlState(c, FREE_ITEM, order, all, 7), nullValue());
            // the API's caps: 1 to 1000 of a product, one line per product
            assertThat("1001 of a product", Sql.sqlState(c, FREE_ITEM, order, plenty, 1001), notNullValue());
            assertThat(Sql.sqlState(c, FREE_ITEM, order, plenty, 1000), nullValue());
            assertThat("a second line of a product", Sql.sqlState(c, FREE_ITEM, order, plenty, 1), notNullValue());
            // no price in the order's market, or another market's product: no sale, no stock
            assertThat("an ALL product without a price here", Sql.sqlState(c, FREE_ITEM, order, soldOnlyThere, 4),
                    notNullValue());
            assertThat("another market's product", Sql.sqlState(c, FREE_ITEM, order, theirsOnly, 3), notNullValue());
            c.commit();
        }

        BigDecimal expected = new BigDecimal(OWN_PRICE.get(market)).multiply(BigDecimal.valueOf(5))
                .add(new BigDecimal(ALL_PRICES.get(market)).multiply(BigDecimal.valueOf(7)))
                .add(new BigDecimal("1000.00"));
        try (Connection o = TestDatabase.get().owner()) {
            assertThat("the order's total", new BigDecimal(one(o, "SELECT total_amount::text FROM orders WHERE id = ?", order)),
                    is(expected.setScale(2)));
            assertThat("each line at the market's price", Sql.strings(o, """
                    SELECT i.product_id || ' ' || i.product_name || ' ' || i.quantity || ' ' || i.unit_price || ' ' || i.line_total
                    FROM order_items i WHERE i.order_id = ? ORDER BY i.product_id""", order), is(List.of(
                    own + " " + name(o, own) + " 5 " + OWN_PRICE.get(market) + " "
                            + new BigDecimal(OWN_PRICE.get(market)).multiply(BigDecimal.valueOf(5)),
                    all + " " + name(o, all) + " 7 " + ALL_PRICES.get(market) + " "
                            + new BigDecimal(ALL_PRICES.get(market)).multiply(BigDecimal.valueOf(7)),
                    plenty + " " + name(o, plenty) + " 1000 1.00 1000.00")));
            assertThat("stock taken for priced items only", List.of(stock(o, own), stock(o, all), stock(o, plenty),
                    stock(o, soldOnlyThere), stock(o, theirsOnly)), is(List.of(0L, 0L, 1000L, 4L, 3L)));
        }
        assertThat("the other market's rows", otherMarketRows(theirs), is(otherMarket));
    }

    /** An order the API would never place, with no items, does not commit; it took no number for good. */
    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void anOrderWithoutItemsIsRefused(String market) throws SQLException {
        Buyer b = Buyer.of(market);
        try (Connection c = b.request()) {
            Sql.insertId(c, FREE_ORDER, b.id(), b.address(), b.card());
            SQLException refused = assertThrows(SQLException.class, c::commit);
            assertThat(refused.getSQLState(), is("23514"));
        }
        try (Connection o = TestDatabase.get().owner()) {
            assertThat(Sql.count(o, "SELECT count(*) FROM orders WHERE user_id = ?", b.id()), is(0L));
        }
    }

    /** The allowed case: the API's checkout places a priced order and takes its stock. */
    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void theApisCheckoutStillPricesAndTakesStock(String market) throws SQLException {
        long own = Fixtures.product(market, Fixtures.unique("api own"), null, 5, Map.of(market, OWN_PRICE.get(market)));
        long all = Fixtures.product("ALL", Fixtures.unique("api all"), null, 5, ALL_PRICES);
        Customers.Customer c = Customers.create(market);
        Customers.Payable payable = Customers.payable(api, c);
        long card = payable.card();
        long address = payable.address();
        api.post("/api/cart/items", c.token(), Map.of("product_id", own, "quantity", 2)).expect(201);
        api.post("/api/cart/items", c.token(), Map.of("product_id", all, "quantity", 1)).expect(201);
        JsonNode order = api.call(Method.POST, "/api/orders", c.token(), Map.of("address_id", address,
                "payment_method_id", card), Map.of("Idempotency-Key", UUID.randomUUID().toString())).expect(201);
        BigDecimal total = new BigDecimal(OWN_PRICE.get(market)).multiply(BigDecimal.valueOf(2))
                .add(new BigDecimal(ALL_PRICES.get(market)));
        assertThat(order.get("total_amount").asText(), is(total.toPlainString()));
        assertThat(order.get("items").size(), is(2));
        try (Connection o = TestDatabase.get().owner()) {
            assertThat(List.of(stock(o, own), stock(o, all)), is(List.of(3L, 4L)));
        }
    }

    /** Every row of the other market that an order could touch, as the owner sees it. */
    private static String otherMarketRows(String market) throws SQLException {
        try (Connection o = TestDatabase.get().owner()) {
            StringBuilder all = new StringBuilder();
            for (String sql : List.of("SELECT t::text FROM orders t WHERE market = ?",
                    "SELECT t::text FROM order_items t WHERE market = ?",
                    "SELECT t::text FROM products t WHERE market = ?",
                    "SELECT t::text FROM product_prices t WHERE market = ?",
                    "SELECT t::text FROM order_counters t WHERE market = ?")) {
                all.append(String.join("|", Sql.strings(o, sql + " ORDER BY 1", market))).append('\n');
            }
            return all.toString();
        }
    }

    private static long stock(Connection o, long product) throws SQLException {
        return Sql.count(o, "SELECT stock FROM products WHERE id = ?", product);
    }

    private static String name(Connection o, long product) throws SQLException {
        return one(o, "SELECT name FROM products WHERE id = ?", product);
    }

    private static String one(Connection o, String sql, Object... params) throws SQLException {
        return Sql.strings(o, sql, params).getFirst();
    }
}
