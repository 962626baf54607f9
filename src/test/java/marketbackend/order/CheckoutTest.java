package marketbackend.order;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import marketbackend.Server;
import marketbackend.customer.Bola;
import marketbackend.support.Api;
import marketbackend.support.Customers.Customer;
import marketbackend.support.Customers;
import marketbackend.support.Fixtures;
import marketbackend.support.Parallel;
import marketbackend.support.Sql;
import marketbackend.support.TestApp;
import marketbackend.support.TestDatabase;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/** Checkout: one transaction from cart to order, idempotent, never overselling, in each market's terms. */
@ServerTest
class CheckoutTest {
    private final Api api;

    CheckoutTest(Http1Client client) {
        this.api = new Api(client);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder r) {
        Server.routing(r, TestApp.get());
    }

    /** A customer ready to check out: one address, one card. */
    record Shopper(Customer customer, long addressId, long paymentMethodId) {
        String token() {
            return customer.token();
        }

        Map<String, Object> order() {
            return Map.of("address_id", addressId, "payment_method_id", paymentMethodId);
        }
    }

    @ParameterizedTest
    @CsvSource({"KG, KGS, ru-KG, Заказ, 1250.00, 45000.00, 47500.00",
            "US, USD, en-US, Order, 19.99, 499.00, 538.98"})
    void checkoutInTheMarketsTerms(String market, String currency, String locale, String word, String price,
                                   String allPrice, String total) throws Exception {
        long own = Fixtures.product(market, Fixtures.unique("own"), null, 5, Map.of(market, price));
        long all = Fixtures.product("ALL", Fixtures.unique("all"), null, 5, Map.of("KG", "45000.00", "US", "499.00"));
        Shopper s = shopper(market);
        addToCart(s, own, 2);
        addToCart(s, all, 1);

        Api.Res res = checkout(s, UUID.randomUUID().toString(), s.order());
        JsonNode order = res.expect(201);
        long id = order.get("id").asLong();
        assertThat(res.header("Location"), is("/api/orders/" + id));
        assertThat(order.get("market").asText(), is(market));
        assertThat(order.get("currency").asText(), is(currency));
        assertThat(order.get("order_number").asText().matches(market + "-[0-9]{6}"), is(true));
        assertThat(order.get("status").asText(), is("pending"));
        assertThat(order.get("total_amount").asText(), is(total));
        assertThat(order.get("items").size(), is(2));
        assertThat(order.get("items").get(0).get("market").asText(), is(market));
        assertThat(order.get("shipping_address").get("postal_code").asText(), is("KG".equals(market) ? "720001" : "10001"));
        assertThat(allPrice, is(order.get("items").get(1).get("unit_price").asText()));

        assertThat(stock(own), is(3L));
        assertThat(stock(all), is(4L));
        assertThat(api.get("/api/cart", s.token()).expect(200).get("items").size(), is(0));

        JsonNode notes = api.get("/api/notifications", s.token()).expect(200);
        assertThat(notes.get("total").asLong(), is(1L));
        JsonNode note = notes.get("items").get(0);
        assertThat(note.get("market").asText(), is(market));
        assertThat(note.get("locale").asText(), is(locale));
        assertThat(note.get("title").asText(), containsString(word));
        assertThat(note.get("body").asText(), containsString(order.get("order_number").asText()));
        assertThat(note.get("body").asText(), containsString(total + " " + currency));

        JsonNode list = api.get("/api/orders", s.token()).expect(200);
        assertThat(list.get("total").asLong(), is(1L));
        assertThat(list.get("page").asInt(), is(1));
        assertThat(list.get("size").asInt(), is(20));
        assertThat(list.get("items").get(0).get("id").asLong(), is(id));
        assertThat(list.get("items").get(0).get("item_count").asInt(), is(3));
        assertThat(api.get("/api/orders/" + id, s.token()).expect(200), is(order));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void theSameKeyTwiceIsOneOrder(String market) throws Exception {
        long product = Fixtures.product(market, Fixtures.unique("idem"), null, 5, Map.of(market, "10.00"));
        Shopper s = shopper(market);
        addToCart(s, product, 1);
        String key = UUID.randomUUID().toString();
        JsonNode first = checkout(s, key, s.order()).expect(201);
        Api.Res again = checkout(s, key, s.order());
        assertThat(again.expect(200), is(first));
        assertThat(again.header("Idempotent-Replayed"), is("true"));
        assertThat(orders(s), is(1L));
        assertThat(stock(product), is(4L));

        // the same key for another request is refused, and writes nothing
        long otherAddress = Customers.address(api, s.customer());
        JsonNode p = checkout(s, key, Map.of("address_id", otherAddress, "payment_method_id", s.paymentMethodId()))
                .problem(422);
        assertThat(p.get("detail").asText(), containsString("Idempotency-Key"));
        assertThat(orders(s), is(1L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void theSameKeyInParallelIsOneOrder(String market) throws Exception {
        long product = Fixtures.product(market, Fixtures.unique("idem-par"), null, 5, Map.of(market, "10.00"));
        Shopper s = shopper(market);
        addToCart(s, product, 1);
        String key = UUID.randomUUID().toString();
        List<Api.Res> answers = Parallel.times(6, () -> checkout(s, key, s.order()));
        Set<Long> ids = new HashSet<>();
        for (Api.Res a : answers) {
            assertThat(a.toString(), a.status() == 201 || a.status() == 200, is(true));
            ids.add(a.json().get("id").asLong());
        }
        assertThat(ids.size(), is(1));
        assertThat(answers.stream().filter(a -> a.status() == 201).count(), is(1L));
        assertThat(orders(s), is(1L));
        assertThat(stock(product), is(4L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void noOversellUnderParallelCheckouts(String market) throws Exception {
        long product = Fixtures.product(market, Fixtures.unique("scarce"), null, 3, Map.of(market, "7.00"));
        List<Shopper> shoppers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Shopper s = shopper(market);
            addToCart(s, product, 1);
            shoppers.add(s);
        }
        List<Callable<Integer>> calls = shoppers.stream()
                .<Callable<Integer>>map(s -> () -> checkout(s, UUID.randomUUID().toString(), s.order()).status())
                .toList();
        List<Integer> statuses = Parallel.all(calls);
        assertThat(statuses.toString(), statuses.stream().filter(st -> st == 201).count(), is(3L));
        assertThat(statuses.toString(), statuses.stream().filter(st -> st == 409).count(), is(5L));
        assertThat(stock(product), is(0L));
        assertThat(owner("SELECT count(*) FROM order_items WHERE product_id = ?", product), is(3L));
        // the refused ones kept their carts and got no notification
        long keptCarts = shoppers.stream().filter(s -> api.get("/api/cart", s.token()).expect(200)
                .get("items").size() == 1).count();
        assertThat(keptCarts, is(5L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void notEnoughStockIs409AndWritesNothing(String market) throws Exception {
        long plenty = Fixtures.product(market, Fixtures.unique("plenty"), null, 10, Map.of(market, "1.00"));
        long scarce = Fixtures.product(market, Fixtures.unique("scarce"), null, 5, Map.of(market, "2.00"));
        Shopper s = shopper(market);
        addToCart(s, plenty, 2);
        addToCart(s, scarce, 5);
        owner("UPDATE products SET stock = 4 WHERE id = ? RETURNING 1", scarce);
        JsonNode p = checkout(s, UUID.randomUUID().toString(), s.order()).problem(409);
        assertThat(p.get("detail").asText(), containsString("stock"));
        assertThat(stock(plenty), is(10L));
        assertThat(stock(scarce), is(4L));
        assertThat(orders(s), is(0L));
        assertThat(api.get("/api/cart", s.token()).expect(200).get("items").size(), is(2));
        assertThat(api.get("/api/notifications", s.token()).expect(200).get("total").asLong(), is(0L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void refusedCheckouts(String market) throws Exception {
        long product = Fixtures.product(market, Fixtures.unique("refused"), null, 10, Map.of(market, "1.00"));
        Shopper s = shopper(market);
        Shopper neighbour = shopper(market);
        // empty cart
        checkout(s, UUID.randomUUID().toString(), s.order()).problem(409);
        addToCart(s, product, 1);
        // no key, a bad key
        api.post("/api/orders", s.token(), s.order()).problem(400);
        checkout(s, "x".repeat(201), s.order()).problem(400);
        checkout(s, "two words", s.order()).problem(400);
        // someone else's address or card, a missing one, a bad body
        checkout(s, UUID.randomUUID().toString(), Map.of("address_id", neighbour.addressId(),
                "payment_method_id", s.paymentMethodId())).problem(422);
        checkout(s, UUID.randomUUID().toString(), Map.of("address_id", s.addressId(),
                "payment_method_id", neighbour.paymentMethodId())).problem(422);
        checkout(s, UUID.randomUUID().toString(), Map.of("address_id", Long.MAX_VALUE,
                "payment_method_id", s.paymentMethodId())).problem(422);
        checkout(s, UUID.randomUUID().toString(), Map.of("address_id", s.addressId())).problem(422);
        checkout(s, UUID.randomUUID().toString(), Map.of("address_id", s.addressId(),
                "payment_method_id", s.paymentMethodId(), "total_amount", "0.01")).problem(422);
        checkout(s, UUID.randomUUID().toString(), "{\"address_id\":").problem(400);
        // a card that expired since it was saved
        owner("UPDATE payment_methods SET exp_year = 2020 WHERE id = ? RETURNING 1", s.paymentMethodId());
        checkout(s, UUID.randomUUID().toString(), s.order()).problem(422);
        // a product that left the catalog
        long fading = Fixtures.product(market, Fixtures.unique("fading"), null, 10, Map.of(market, "1.00"));
        Shopper t = shopper(market);
        addToCart(t, fading, 1);
        owner("UPDATE products SET is_active = false WHERE id = ? RETURNING 1", fading);
        checkout(t, UUID.randomUUID().toString(), t.order()).problem(409);
        assertThat(orders(s) + orders(t), is(0L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void anotherCustomersOrderAndNotificationsLookMissing(String market) throws Exception {
        long product = Fixtures.product(market, Fixtures.unique("bola"), null, 10, Map.of(market, "1.00"));
        Shopper s = shopper(market);
        addToCart(s, product, 1);
        long id = checkout(s, UUID.randomUUID().toString(), s.order()).expect(201).get("id").asLong();
        long note = api.get("/api/notifications", s.token()).expect(200).get("items").get(0).get("id").asLong();
        for (Customer intruder : new Customer[] {Customers.create(market), Customers.create(Customers.other(market))}) {
            JsonNode missing = api.get("/api/orders/" + Long.MAX_VALUE, intruder.token()).problem(404);
            Bola.sameAs(missing, api.get("/api/orders/" + id, intruder.token()).problem(404));
            assertThat(api.get("/api/orders", intruder.token()).expect(200).get("total").asLong(), is(0L));
            JsonNode missingNote = api.post("/api/notifications/" + Long.MAX_VALUE + "/read", intruder.token(), null)
                    .problem(404);
            Bola.sameAs(missingNote, api.post("/api/notifications/" + note + "/read", intruder.token(), null)
                    .problem(404));
            assertThat(api.get("/api/notifications", intruder.token()).expect(200).get("total").asLong(), is(0L));
        }
        assertThat(owner("SELECT count(*) FROM notifications WHERE id = ? AND read_at IS NULL", note), is(1L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void notificationsAreMarkedRead(String market) throws Exception {
        long product = Fixtures.product(market, Fixtures.unique("read"), null, 10, Map.of(market, "1.00"));
        Shopper s = shopper(market);
        addToCart(s, product, 1);
        checkout(s, UUID.randomUUID().toString(), s.order()).expect(201);
        JsonNode unread = api.get("/api/notifications?unread=true", s.token()).expect(200);
        assertThat(unread.get("total").asLong(), is(1L));
        long id = unread.get("items").get(0).get("id").asLong();
        JsonNode read = api.post("/api/notifications/" + id + "/read", s.token(), null).expect(200);
        assertThat(read.get("read").asBoolean(), is(true));
        String readAt = read.get("read_at").asText();
        // reading again keeps the first time
        assertThat(api.post("/api/notifications/" + id + "/read", s.token(), null).expect(200).get("read_at").asText(),
                is(readAt));
        assertThat(api.get("/api/notifications?unread=true", s.token()).expect(200).get("total").asLong(), is(0L));
        assertThat(api.get("/api/notifications", s.token()).expect(200).get("total").asLong(), is(1L));
        api.get("/api/notifications?unread=maybe", s.token()).problem(400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void anOrderKeepsItsAddressWhenTheAddressIsDeleted(String market) throws Exception {
        long product = Fixtures.product(market, Fixtures.unique("keep"), null, 10, Map.of(market, "1.00"));
        Shopper s = shopper(market);
        addToCart(s, product, 1);
        long id = checkout(s, UUID.randomUUID().toString(), s.order()).expect(201).get("id").asLong();
        api.delete("/api/addresses/" + s.addressId(), s.token()).expect(204);
        api.delete("/api/payment-methods/" + s.paymentMethodId(), s.token()).expect(204);
        JsonNode order = api.get("/api/orders/" + id, s.token()).expect(200);
        assertThat(order.get("address_id").isNull(), is(true));
        assertThat(order.get("payment_method_id").isNull(), is(true));
        assertThat(order.get("shipping_address").get("city").asText().isEmpty(), is(false));
    }

    @Test
    void pagingOfOrders() throws Exception {
        long product = Fixtures.product("US", Fixtures.unique("paging"), null, 10, Map.of("US", "1.00"));
        Shopper s = shopper("US");
        for (int i = 0; i < 3; i++) {
            addToCart(s, product, 1);
            checkout(s, UUID.randomUUID().toString(), s.order()).expect(201);
        }
        JsonNode page = api.get("/api/orders?size=2&page=2", s.token()).expect(200);
        assertThat(page.get("total").asLong(), is(3L));
        assertThat(page.get("items").size(), is(1));
        api.get("/api/orders?size=0", s.token()).problem(400);
    }

    // ---------------------------------------------------------------- helpers

    private Shopper shopper(String market) {
        Customer c = Customers.create(market);
        Customers.Payable p = Customers.payable(api, c);
        return new Shopper(c, p.address(), p.card());
    }

    private void addToCart(Shopper s, long product, int quantity) {
        int status = api.post("/api/cart/items", s.token(), Map.of("product_id", product, "quantity", quantity)).status();
        assertThat(status == 201 || status == 200, is(true));
    }

    private Api.Res checkout(Shopper s, String key, Object body) {
        return api.call(Method.POST, "/api/orders", s.token(), body, Map.of("Idempotency-Key", key));
    }

    private static long orders(Shopper s) throws SQLException {
        return owner("SELECT count(*) FROM orders WHERE user_id = ?", s.customer().id());
    }

    private static long stock(long product) throws SQLException {
        return owner("SELECT stock FROM products WHERE id = ?", product);
    }

    /** A count or number read as the owner (also runs UPDATE ... RETURNING 1). */
    private static long owner(String sql, Object... params) throws SQLException {
        try (Connection c = TestDatabase.get().owner()) {
            return Sql.count(c, sql, params);
        }
    }
}
