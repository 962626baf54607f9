package marketbackend.market;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import io.helidon.http.Method;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import marketbackend.demo.DemoData;
import marketbackend.support.Api;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * The US closes in the middle of a test ({@code market close US}) and every endpoint answers by the
 * rules of a closed market: guests 400 as for an unknown code; its customers log in and read their
 * own but buy nothing (409); its managers keep their back office; no one gains rights; nothing 5xx.
 * Then it reopens.
 */
class ClosedMarketTest {
    private static final String CUSTOMER = "+16502530001";
    private static final String US_MANAGER = "+12025550101";
    private static final String KG_MANAGER = "+996700000101";
    private static final String ADMIN = "+996700000102";
    private static final Map<String, String> US = Map.of("X-Market", "US");
    private static final Map<String, String> KG = Map.of("X-Market", "KG");

    private static ScratchShop shop;
    private final List<Api.Res> answers = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        shop = new ScratchShop();
        DemoData.load(shop.app.config());
        shop.grantManager(US_MANAGER, "--markets", "US").ok();
        shop.grantManager(KG_MANAGER, "--markets", "KG").ok();
        shop.grantManager(ADMIN, "--markets", "KG,US", "--role", "admin").ok();
    }

    @AfterAll
    static void stop() throws Exception {
        if (shop != null) {
            shop.close();
        }
    }

    @AfterEach
    void nothingAnswered5xx() {
        answers.forEach(r -> assertThat(r.toString(), r.status(), lessThan(500)));
    }

    @Test
    void aClosedMarketKeepsItsCustomersAndManagersAndSellsNothing() throws Exception {
        // before: a US customer with an order, a cart item, an address and a card
        String token = shop.login(CUSTOMER).get("access_token").asText();
        JsonNode products = call(Method.GET, "/api/products?q=Camping", null, null, US).expect(200);
        long tent = products.get("items").get(0).get("id").asLong();
        call(Method.POST, "/api/cart/items", token, Map.of("product_id", tent, "quantity", 1), Map.of()).expect(201);
        long address = call(Method.POST, "/api/addresses", token, Map.of("line1", "350 5th Ave", "city", "New York",
                "region", "NY", "postal_code", "10001"), Map.of()).expect(201).get("id").asLong();
        long card = call(Method.POST, "/api/payment-methods", token, Map.of("token", "tok_us", "brand", "visa",
                "last4", "4242", "exp_month", 12, "exp_year", 2099), Map.of()).expect(201).get("id").asLong();
        Map<String, Object> checkout = Map.of("address_id", address, "payment_method_id", card);
        long order = call(Method.POST, "/api/orders", token, checkout, Map.of("Idempotency-Key", UUID.randomUUID().toString()))
                .expect(201).get("id").asLong();
        long item = call(Method.POST, "/api/cart/items", token, Map.of("product_id", tent, "quantity", 1), Map.of())
                .expect(201).get("id").asLong();
        String usManager = shop.login(US_MANAGER).get("access_token").asText();
        String kgManager = shop.login(KG_MANAGER).get("access_token").asText();
        String admin = shop.login(ADMIN).get("access_token").asText();

        // a server that read the market list before the closing keeps it a while (MarketRegistry)
        shop.lagging.get("/api/markets", null).expect(200);
        shop.market("close", "US").ok();
        // ... the database refuses purchases at once anyway, and it answers 409 as well
        call(shop.lagging, Method.GET, "/api/products", null, null, US).expect(200);
        assertThat(call(shop.lagging, Method.POST, "/api/cart/items", token, Map.of("product_id", tent, "quantity", 1),
                Map.of()).problem(409).get("detail").asText(), containsString("market is closed"));

        // guests: a closed market is an unknown code; the open one still serves
        for (String path : List.of("/api/products", "/api/products/" + tent, "/api/categories", "/api/banners")) {
            assertThat(path, call(Method.GET, path, null, null, US).problem(400).get("detail").asText(),
                    is("Unknown market 'US'; use one of KG"));
        }
        call(Method.GET, "/api/products", null, null, Map.of()).expect(200);
        assertThat(codes(call(Method.GET, "/api/markets", null, null, Map.of()).expect(200)), contains("KG"));

        // login: a customer (who signed up before) gets a code and a token; a new phone the same 202 and no code
        String returning = "+16502530003";
        shop.ownerUpdate("INSERT INTO users (phone) VALUES (?)", returning);
        assertThat(shop.login(returning).get("user").get("market").asText(), is("US"));
        String stranger = "+16502530002";
        call(Method.POST, "/api/auth/code", null, Map.of("phone", stranger), Map.of()).expect(202);
        assertThat(shop.owner("SELECT body FROM sms_outbox WHERE phone = ?", stranger), is(empty()));
        assertThat(shop.owner("SELECT id::text FROM users WHERE phone = ?", stranger), is(empty()));

        // the customer reads everything of their own ...
        for (String path : List.of("/api/me", "/api/orders", "/api/orders/" + order, "/api/notifications", "/api/cart",
                "/api/addresses", "/api/addresses/" + address, "/api/payment-methods", "/api/wishlist")) {
            call(Method.GET, path, token, null, Map.of()).expect(200);
        }
        call(Method.GET, "/api/orders", token, null, US).expect(200);
        long note = call(Method.GET, "/api/notifications", token, null, Map.of()).expect(200).get("items").get(0)
                .get("id").asLong();
        call(Method.POST, "/api/notifications/" + note + "/read", token, null, Map.of()).expect(200);
        call(Method.PATCH, "/api/me", token, Map.of("name", "Still here"), Map.of()).expect(200);
        // ... buys nothing ...
        String closed = "The US market is closed";
        for (Api.Res r : List.of(
                call(Method.POST, "/api/cart/items", token, Map.of("product_id", tent, "quantity", 1), Map.of()),
                call(Method.PUT, "/api/cart/items/" + item, token, Map.of("quantity", 2), Map.of()),
                call(Method.POST, "/api/orders", token, checkout, Map.of("Idempotency-Key", UUID.randomUUID().toString())),
                call(Method.POST, "/api/addresses", token, Map.of("line1", "1 Main St", "city", "Boston", "region", "MA",
                        "postal_code", "02101"), Map.of()),
                call(Method.PUT, "/api/addresses/" + address, token, Map.of("line1", "1 Main St", "city", "Boston",
                        "region", "MA", "postal_code", "02101"), Map.of()),
                call(Method.POST, "/api/payment-methods", token, Map.of("token", "tok_2", "brand", "visa", "last4", "1111",
                        "exp_month", 12, "exp_year", 2099), Map.of()))) {
            assertThat(r.problem(409).get("detail").asText(), containsString(closed));
        }
        // ... and may still remove what is theirs
        assertThat(call(Method.DELETE, "/api/cart/items/" + item, token, null, Map.of()).status(), lessThan(300));
        assertThat(call(Method.DELETE, "/api/payment-methods/" + card, token, null, Map.of()).status(), lessThan(300));

        // its manager keeps the back office
        for (String path : List.of("/api/manager/me", "/api/manager/orders", "/api/manager/orders/" + order,
                "/api/manager/revenue", "/api/manager/revenue/compare", "/api/manager/revenue/snapshots",
                "/api/manager/products", "/api/manager/customers", "/api/manager/audit-log")) {
            call(Method.GET, path, usManager, null, US).expect(200);
        }
        assertThat(call(Method.GET, "/api/manager/revenue", usManager, null, Map.of()).expect(200).get("currency").asText(),
                is("USD"));
        call(Method.PATCH, "/api/manager/orders/" + order, usManager, Map.of("status", "confirmed"), US).expect(200);
        // the audit log shows managers that the owner closed their market
        List<String> ownerEntries = new ArrayList<>();
        call(Method.GET, "/api/manager/audit-log", usManager, null, US).expect(200).get("items").forEach(e -> {
            if (e.get("manager_id").isNull()) {
                ownerEntries.add(e.get("entity").asText() + " " + e.get("action").asText());
            }
        });
        assertThat(ownerEntries, contains("market close"));

        // no one gains rights: the KG-only manager stays out of US and off the ALL rows; the admin keeps them
        assertThat(call(Method.GET, "/api/manager/orders", kgManager, null, US).problem(403).get("detail").asText(),
                is("No access to US market"));
        Map<String, String> allProduct = Map.of("name", "Everywhere lamp", "market", "ALL", "price", "900.00");
        call(Method.POST, "/api/manager/products", kgManager, allProduct, KG).problem(403);
        long lamp = call(Method.POST, "/api/manager/products", admin, allProduct, KG).expect(201).get("id").asLong();

        // reopening waits for the new ALL product's US price, which a manager may set while the US is closed
        assertThat(shop.market("open", "US").err(), containsString("#" + lamp + " Everywhere lamp"));
        call(Method.PATCH, "/api/manager/products/" + lamp, admin, Map.of("price", "9.99"), US).expect(200);
        shop.market("open", "US").ok();
        call(Method.GET, "/api/products", null, null, US).expect(200);
        call(Method.POST, "/api/cart/items", token, Map.of("product_id", tent, "quantity", 1), Map.of()).expect(201);
        call(Method.GET, "/api/manager/orders", kgManager, null, US).problem(403);
        assertThat(shop.owner("SELECT action FROM audit_log WHERE market = 'US' AND manager_id IS NULL ORDER BY id"),
                contains("close", "open"));
    }

    /** Guests without X-Market go to MARKET_DEFAULT (KG); closed, it answers like an unknown code, the list still works. */
    @Test
    void aClosedDefaultMarketStillListsTheOpenOnes() {
        shop.market("close", "KG").ok();
        try {
            assertThat(codes(call(Method.GET, "/api/markets", null, null, Map.of()).expect(200)), contains("US"));
            assertThat(call(Method.GET, "/api/products", null, null, Map.of()).problem(400).get("detail").asText(),
                    is("Unknown market 'KG'; use one of US"));
            call(Method.GET, "/api/products", null, null, US).expect(200);
        } finally {
            shop.market("open", "KG").ok();
        }
    }

    private Api.Res call(Method method, String path, String token, Object body, Map<String, String> headers) {
        return call(shop.api, method, path, token, body, headers);
    }

    private Api.Res call(Api server, Method method, String path, String token, Object body, Map<String, String> headers) {
        Api.Res r = server.call(method, path, token, body, headers);
        answers.add(r);
        return r;
    }

    private static List<String> codes(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("items").forEach(i -> out.add(i.get("code").asText()));
        return out;
    }
}
