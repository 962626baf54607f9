package marketbackend.customer;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import marketbackend.Server;
import marketbackend.support.Api;
import marketbackend.support.Customers;
import marketbackend.support.Customers.Customer;
import marketbackend.support.Fixtures;
import marketbackend.support.Sql;
import marketbackend.support.TestApp;
import marketbackend.support.TestDatabase;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** Cart, wishlist and profile: the customer's own rows, only products visible in their market. */
@ServerTest
class CartWishlistTest {
    private static final Map<String, Long> OWN = new java.util.HashMap<>();
    private static final Map<String, Long> SOLD_OUT = new java.util.HashMap<>();
    private static long everywhere;

    private final Api api;

    CartWishlistTest(Http1Client client) {
        this.api = new Api(client);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder r) {
        Server.routing(r, TestApp.get());
    }

    @BeforeAll
    static void seed() throws Exception {
        String tag = Fixtures.unique("cart");
        OWN.put("KG", Fixtures.product("KG", tag + " kg", null, 5, Map.of("KG", "1250.00")));
        OWN.put("US", Fixtures.product("US", tag + " us", null, 5, Map.of("US", "19.99")));
        SOLD_OUT.put("KG", Fixtures.product("KG", tag + " kg sold out", null, 0, Map.of("KG", "10.00")));
        SOLD_OUT.put("US", Fixtures.product("US", tag + " us sold out", null, 0, Map.of("US", "1.00")));
        everywhere = Fixtures.product("ALL", tag + " all", null, 10, Map.of("KG", "45000.00", "US", "499.00"));
    }

    @ParameterizedTest
    @CsvSource({"KG, KGS, 1250.00, 45000.00, 46250.00", "US, USD, 19.99, 499.00, 518.99"})
    void aCartInTheMarketsPricesAndCurrency(String market, String currency, String own, String all, String total) {
        Customer c = Customers.create(market);
        JsonNode item = api.post("/api/cart/items", c.token(), Map.of("product_id", OWN.get(market), "quantity", 1))
                .expect(201);
        assertThat(item.get("market").asText(), is(market));
        assertThat(item.get("unit_price").asText(), is(own));
        assertThat(item.get("currency").asText(), is(currency));
        // adding the same product again adds to its line
        JsonNode merged = api.post("/api/cart/items", c.token(), Map.of("product_id", OWN.get(market), "quantity", 1))
                .expect(200);
        assertThat(merged.get("id").asLong(), is(item.get("id").asLong()));
        assertThat(merged.get("quantity").asInt(), is(2));
        api.put("/api/cart/items/" + item.get("id").asLong(), c.token(), Map.of("quantity", 1)).expect(200);
        JsonNode allItem = api.post("/api/cart/items", c.token(), Map.of("product_id", everywhere, "quantity", 1)).expect(201);
        assertThat(allItem.get("unit_price").asText(), is(all));
        api.put("/api/cart/items/" + allItem.get("id").asLong(), c.token(), Map.of("quantity", 1)).expect(200);

        JsonNode cart = api.get("/api/cart", c.token()).expect(200);
        assertThat(cart.get("market").asText(), is(market));
        assertThat(cart.get("currency").asText(), is(currency));
        assertThat(cart.get("items").size(), is(2));
        assertThat(cart.get("item_count").asInt(), is(2));
        // 1 x own + 1 x ALL in this market's price list
        assertThat(cart.get("total").asText(), is(total));

        api.delete("/api/cart/items/" + item.get("id").asLong(), c.token()).expect(204);
        assertThat(api.get("/api/cart", c.token()).expect(200).get("items").size(), is(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void anotherMarketsProductLooksMissing(String market) {
        Customer c = Customers.create(market);
        long foreign = OWN.get(Customers.other(market));
        JsonNode missing = api.post("/api/cart/items", c.token(), Map.of("product_id", Long.MAX_VALUE, "quantity", 1))
                .problem(404);
        Bola.sameAs(missing, api.post("/api/cart/items", c.token(), Map.of("product_id", foreign, "quantity", 1))
                .problem(404));
        Bola.sameAs(missing, api.post("/api/wishlist/items", c.token(), Map.of("product_id", foreign)).problem(404));
        assertThat(api.get("/api/cart", c.token()).expect(200).get("items").size(), is(0));
        assertThat(api.get("/api/wishlist", c.token()).expect(200).get("items").size(), is(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void quantitiesAreChecked(String market) {
        Customer c = Customers.create(market);
        long product = OWN.get(market);
        api.post("/api/cart/items", c.token(), Map.of("product_id", product, "quantity", 0)).problem(422);
        api.post("/api/cart/items", c.token(), Map.of("product_id", product, "quantity", 1001)).problem(422);
        api.post("/api/cart/items", c.token(), Map.of("product_id", product, "quantity", "2")).problem(422);
        api.post("/api/cart/items", c.token(), Map.of("product_id", product, "quantity", 1.5)).problem(422);
        api.post("/api/cart/items", c.token(), Map.of("product_id", product)).problem(422);
        api.post("/api/cart/items", c.token(), Map.of("product_id", -1, "quantity", 1)).problem(422);
        api.post("/api/cart/items", c.token(), Map.of("product_id", product, "quantity", 1, "price", "0.01")).problem(422);
        // more than the stock, or none in stock: 409
        api.post("/api/cart/items", c.token(), Map.of("product_id", product, "quantity", 6)).problem(409);
        api.post("/api/cart/items", c.token(), Map.of("product_id", SOLD_OUT.get(market), "quantity", 1)).problem(409);
        long id = api.post("/api/cart/items", c.token(), Map.of("product_id", product, "quantity", 5)).expect(201)
                .get("id").asLong();
        api.post("/api/cart/items", c.token(), Map.of("product_id", product, "quantity", 1)).problem(409);
        api.put("/api/cart/items/" + id, c.token(), Map.of("quantity", 6)).problem(409);
        api.put("/api/cart/items/" + id, c.token(), Map.of("quantity", 0)).problem(422);
        assertThat(api.get("/api/cart", c.token()).expect(200).get("item_count").asInt(), is(5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void anotherCustomersCartItemLooksMissing(String market) {
        Customer owner = Customers.create(market);
        long id = api.post("/api/cart/items", owner.token(), Map.of("product_id", OWN.get(market), "quantity", 1))
                .expect(201).get("id").asLong();
        long wish = api.post("/api/wishlist/items", owner.token(), Map.of("product_id", OWN.get(market)))
                .expect(201).get("id").asLong();
        for (Customer intruder : new Customer[] {Customers.create(market), Customers.create(Customers.other(market))}) {
            JsonNode missing = api.put("/api/cart/items/" + Long.MAX_VALUE, intruder.token(), Map.of("quantity", 2))
                    .problem(404);
            Bola.sameAs(missing, api.put("/api/cart/items/" + id, intruder.token(), Map.of("quantity", 2)).problem(404));
            Bola.sameAs(missing, api.delete("/api/cart/items/" + id, intruder.token()).problem(404));
            JsonNode missingWish = api.delete("/api/wishlist/items/" + Long.MAX_VALUE, intruder.token()).problem(404);
            Bola.sameAs(missingWish, api.delete("/api/wishlist/items/" + wish, intruder.token()).problem(404));
            assertThat(api.get("/api/cart", intruder.token()).expect(200).get("items").size(), is(0));
            assertThat(api.get("/api/wishlist", intruder.token()).expect(200).get("items").size(), is(0));
        }
        JsonNode cart = api.get("/api/cart", owner.token()).expect(200);
        assertThat(cart.get("items").get(0).get("quantity").asInt(), is(1));
        assertThat(api.get("/api/wishlist", owner.token()).expect(200).get("items").size(), is(1));
    }

    @ParameterizedTest
    @CsvSource({"KG, 45000.00, KGS", "US, 499.00, USD"})
    void wishlistKeepsOneItemPerProduct(String market, String price, String currency) {
        Customer c = Customers.create(market);
        JsonNode first = api.post("/api/wishlist/items", c.token(), Map.of("product_id", everywhere)).expect(201);
        assertThat(first.get("market").asText(), is(market));
        assertThat(first.get("price").asText(), is(price));
        assertThat(first.get("currency").asText(), is(currency));
        JsonNode again = api.post("/api/wishlist/items", c.token(), Map.of("product_id", everywhere)).expect(200);
        assertThat(again.get("id").asLong(), is(first.get("id").asLong()));
        JsonNode list = api.get("/api/wishlist", c.token()).expect(200);
        assertThat(list.get("market").asText(), is(market));
        assertThat(list.get("items").size(), is(1));
        api.post("/api/wishlist/items", c.token(), Map.of("product_id", everywhere, "quantity", 1)).problem(422);
        api.delete("/api/wishlist/items/" + first.get("id").asLong(), c.token()).expect(204);
        assertThat(api.get("/api/wishlist", c.token()).expect(200).get("items").size(), is(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void aDeactivatedProductStaysInTheCartAsUnavailable(String market) throws Exception {
        long product = Fixtures.product(market, Fixtures.unique("fading"), null, 3, Map.of(market, "5.00"));
        Customer c = Customers.create(market);
        api.post("/api/cart/items", c.token(), Map.of("product_id", product, "quantity", 1)).expect(201);
        try (var conn = TestDatabase.get().owner()) {
            Sql.update(conn, "UPDATE products SET is_active = false WHERE id = ?", product);
        }
        JsonNode cart = api.get("/api/cart", c.token()).expect(200);
        assertThat(cart.get("items").get(0).get("available").asBoolean(), is(false));
        assertThat(cart.get("total").asText(), is("0.00"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void profile(String market) {
        Customer c = Customers.create(market);
        JsonNode me = api.get("/api/me", c.token()).expect(200);
        assertThat(me.get("id").asLong(), is(c.id()));
        assertThat(me.get("market").asText(), is(market));
        assertThat(me.get("phone").asText().startsWith("KG".equals(market) ? "+996" : "+1"), is(true));
        assertThat(me.has("created_at"), is(true));
        JsonNode renamed = api.call(io.helidon.http.Method.PATCH, "/api/me", c.token(), Map.of("name", " Айгуль "),
                Map.of()).expect(200);
        assertThat(renamed.get("name").asText(), is("Айгуль"));
        api.call(io.helidon.http.Method.PATCH, "/api/me", c.token(), Map.of("phone", "+996700000000"), Map.of())
                .problem(422);
        api.call(io.helidon.http.Method.PATCH, "/api/me", c.token(), Map.of("market", Customers.other(market)), Map.of())
                .problem(422);
        assertThat(api.get("/api/me", c.token()).expect(200).get("market").asText(), is(market));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void anotherMarketInXMarketIs403(String market) {
        Customer c = Customers.create(market);
        String other = Customers.other(market);
        for (String path : java.util.List.of("/api/me", "/api/cart", "/api/wishlist", "/api/addresses",
                "/api/payment-methods", "/api/orders", "/api/notifications")) {
            api.call(io.helidon.http.Method.GET, path, c.token(), null, Map.of("X-Market", other)).problem(403);
            Api.Res own = api.call(io.helidon.http.Method.GET, path, c.token(), null, Map.of("X-Market", market));
            own.expect(200);
            assertThat(path, own.header("X-Market"), is(market));
            assertThat(path, api.get(path, c.token()).header("X-Market"), is(market));
        }
        api.call(io.helidon.http.Method.POST, "/api/cart/items", c.token(),
                Map.of("product_id", everywhere, "quantity", 1), Map.of("X-Market", other)).problem(403);
        assertThat(api.get("/api/cart", c.token()).expect(200).get("items").size(), is(0));
    }

    @Test
    void aGuestHasNoCart() {
        api.get("/api/cart", null).problem(401);
        api.get("/api/wishlist", null).problem(401);
        api.post("/api/wishlist/items", null, Map.of("product_id", everywhere)).problem(401);
    }
}
