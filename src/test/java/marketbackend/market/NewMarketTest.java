package marketbackend.market;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import io.helidon.http.Method;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import marketbackend.demo.DemoData;
import marketbackend.support.Api;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * A market added as data (the owner's {@code market add}, never a migration) works end to end with
 * no code change and no restart: Canada beside the US under +1, and Uzbekistan. Each goes through
 * the owner's preparation, then the whole customer and manager flow.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NewMarketTest {
    private static ScratchShop shop;

    /** A market to add, a manager's and a customer's phone of its region, and the login SMS's first words. */
    record NewMarket(String code, String name, String currency, String zone, String locale, String managerPhone,
                     String customerPhone, String smsStart) {
        @Override
        public String toString() {
            return code;
        }
    }

    static List<NewMarket> markets() {
        return List.of(
                new NewMarket("CA", "Canada", "CAD", "America/Toronto", "en-CA", "+14165550123", "+14165550124",
                        "Your login code"),
                // no texts in Uzbek: English
                new NewMarket("UZ", "Uzbekistan", "UZS", "Asia/Tashkent", "uz-UZ", "+998901234567", "+998901234568",
                        "Your login code"));
    }

    @BeforeAll
    static void start() throws Exception {
        shop = new ScratchShop();
        DemoData.load(shop.app.config());
    }

    @AfterAll
    static void stop() throws Exception {
        if (shop != null) {
            shop.close();
        }
    }

    @Order(1)
    @ParameterizedTest
    @MethodSource("markets")
    void aMarketAddedAsDataWorksEndToEnd(NewMarket m) throws Exception {
        Api api = shop.api;
        shop.add(m.code(), m.name(), m.currency(), m.zone(), m.code(), m.locale());
        assertThat(shop.owner("SELECT is_active::text FROM markets WHERE code = ?", m.code()), contains("false"));
        // closed: guests cannot choose it
        assertThat(api.call(Method.GET, "/api/products", null, null, Map.of("X-Market", m.code())).problem(400)
                .get("detail").asText(), containsString("Unknown market '" + m.code() + "'"));
        // the lagging server (list kept an hour) reads it now, closed
        shop.lagging.call(Method.GET, "/api/products", null, null, Map.of("X-Market", m.code())).problem(400);
        long laggingRead = System.nanoTime();

        // opening says what is missing, and changes nothing
        ScratchShop.Run refused = shop.market("open", m.code());
        assertThat(refused.status(), is(1));
        assertThat(refused.err(), containsString("without a price in " + m.currency()));
        assertThat(refused.err(), containsString("Smartphone X12"));
        assertThat(refused.err(), containsString("no manager"));
        // market list counts the same ALL products without a price: the demo's two
        assertThat(unpriced(m.code()), is("2"));
        assertThat(shop.owner("SELECT is_active::text FROM markets WHERE code = ?", m.code()), contains("false"));

        // prepared: demo prices in its currency, a manager (a phone of the closed market, by the owner)
        DemoData.load(shop.app.config(), m.code());
        shop.grantManager(m.managerPhone(), "--markets", m.code()).ok();
        assertThat(unpriced(m.code()), is("0"));
        shop.market("open", m.code()).ok();
        // ... and sees it open at the first request naming it (a miss reloads once its list is MISS_RELOAD old)
        long wait = MarketRegistry.MISS_RELOAD.toNanos() - (System.nanoTime() - laggingRead);
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000 + 1);
        }
        // a phone of its region logs in at once, before any request named its code
        String newcomer = m.customerPhone().substring(0, m.customerPhone().length() - 1) + "9";
        shop.lagging.post("/api/auth/code", null, Map.of("phone", newcomer)).expect(202);
        shop.lagging.call(Method.GET, "/api/products", null, null, Map.of("X-Market", m.code())).expect(200);
        assertThat(shop.owner("SELECT action FROM audit_log WHERE market = ? AND manager_id IS NULL AND entity = 'market'"
                + " ORDER BY id", m.code()), contains("add", "open"));

        // guests: the market, its catalog in its currency
        JsonNode listed = api.get("/api/markets", null).expect(200);
        assertThat(codes(listed), hasItem(m.code()));
        JsonNode products = api.call(Method.GET, "/api/products", null, null, Map.of("X-Market", m.code())).expect(200);
        assertThat(products.get("items").size() > 0, is(true));
        products.get("items").forEach(p -> assertThat(p.toString(), p.get("currency").asText(), is(m.currency())));
        long phoneId = productId(products, "Smartphone X12");

        // a customer: login by the phone's region, cart, address, card, checkout with the market's prefix
        JsonNode login = shop.login(m.customerPhone());
        assertThat(login.get("user").get("market").asText(), is(m.code()));
        assertThat(shop.owner("SELECT body FROM sms_outbox WHERE phone = ? ORDER BY id DESC", m.customerPhone()).getFirst(),
                startsWith(m.smsStart()));
        String token = login.get("access_token").asText();
        assertThat(api.get("/api/me", token).expect(200).get("market").asText(), is(m.code()));
        api.post("/api/cart/items", token, Map.of("product_id", phoneId, "quantity", 2)).expect(201);
        long address = api.post("/api/addresses", token, Map.of("line1", "1 Main St", "city", "Capital",
                "region", "Central", "postal_code", "10000")).expect(201).get("id").asLong();
        JsonNode address1 = api.get("/api/addresses/" + address, token).expect(200);
        assertThat(address1.get("delivery_service").asText(), is("post-" + m.code().toLowerCase()));
        long card = api.post("/api/payment-methods", token, Map.of("token", "tok_" + m.code(), "brand", "visa",
                "last4", "4242", "exp_month", 12, "exp_year", 2099)).expect(201).get("id").asLong();
        JsonNode order = api.call(Method.POST, "/api/orders", token, Map.of("address_id", address, "payment_method_id", card),
                Map.of("Idempotency-Key", UUID.randomUUID().toString())).expect(201);
        assertThat(order.get("order_number").asText(), is(m.code() + "-000001"));
        assertThat(order.get("currency").asText(), is(m.currency()));
        JsonNode notes = api.get("/api/notifications", token).expect(200).get("items");
        assertThat(notes.get(0).get("title").asText(), is("Order " + m.code() + "-000001 placed"));

        // its manager: orders and the revenue of the order's day in the market's time zone
        JsonNode managerLogin = shop.login(m.managerPhone());
        String manager = managerLogin.get("access_token").asText();
        Map<String, String> inMarket = Map.of("X-Market", m.code());
        JsonNode orders = api.call(Method.GET, "/api/manager/orders", manager, null, inMarket).expect(200);
        assertThat(orders.get("items").get(0).get("order_number").asText(), is(m.code() + "-000001"));
        api.call(Method.PATCH, "/api/manager/orders/" + order.get("id").asLong(), manager, Map.of("status", "confirmed"),
                inMarket).expect(200);
        String day = OffsetDateTime.parse(order.get("order_date").asText()).atZoneSameInstant(ZoneId.of(m.zone()))
                .toLocalDate().toString();
        JsonNode revenue = api.call(Method.GET, "/api/manager/revenue?date=" + day, manager, null, inMarket).expect(200);
        assertThat(revenue.get("market").asText(), is(m.code()));
        assertThat(revenue.get("currency").asText(), is(m.currency()));
        assertThat(revenue.get("total_revenue").asText(), is(order.get("total_amount").asText()));
        assertThat(revenue.get("total_orders").asLong(), is(1L));
        // and nothing of the other markets
        assertThat(api.call(Method.GET, "/api/manager/orders", manager, null, Map.of("X-Market", "US")).problem(403)
                .get("detail").asText(), is("No access to US market"));
    }

    /** One definition of a phone's market: the number's region, among the markets there are. */
    @Order(2)
    @Test
    void aPhoneBelongsToTheMarketOfItsRegion() {
        Api api = shop.api;
        assertThat(api.post("/api/auth/code", null, Map.of("phone", "+1 416 555 0188")).expect(202)
                .get("market").asText(), is("CA"));
        assertThat(api.post("/api/auth/code", null, Map.of("phone", "+1 650 253 0000")).expect(202)
                .get("market").asText(), is("US"));
        // the Bahamas share +1, and no market has BS
        assertThat(api.post("/api/auth/code", null, Map.of("phone", "+1 242 357 1234")).problem(422)
                .get("detail").asText(), containsString("region BS"));
        ScratchShop.Run refused = shop.grantManager("+12423571234", "--markets", "CA");
        assertThat(refused.status(), is(2));
        assertThat(refused.err(), containsString("region BS"));
    }

    /** The ALL rule covers the new markets: managing KG and US is no longer "every market". */
    @Order(3)
    @Test
    void allRowsNeedAManagerOfEveryMarket() throws Exception {
        String phone = "+12025550199";
        shop.grantManager(phone, "--markets", "KG,US").ok();
        String token = shop.login(phone).get("access_token").asText();
        Map<String, String> body = Map.of("name", "Everywhere lamp", "market", "ALL", "price", "10.00");
        assertThat(shop.api.call(Method.POST, "/api/manager/products", token, body, Map.of("X-Market", "US"))
                .problem(403).get("detail").asText(), containsString("every market"));
        shop.grantManager(phone, "--markets", "KG,US,CA,UZ").ok();
        shop.api.call(Method.POST, "/api/manager/products", token, body, Map.of("X-Market", "US")).expect(201);
    }

    private static List<String> codes(JsonNode page) {
        List<String> out = new java.util.ArrayList<>();
        page.get("items").forEach(i -> out.add(i.get("code").asText()));
        return out;
    }

    private static long productId(JsonNode page, String name) {
        for (JsonNode p : page.get("items")) {
            if (p.get("name").asText().equals(name)) {
                return p.get("id").asLong();
            }
        }
        throw new AssertionError(name + " not in " + page);
    }

    /** The ALL_UNPRICED cell of {@code market list} for one market. */
    private static String unpriced(String code) throws Exception {
        String line = shop.market("list").ok().out().lines().filter(l -> l.startsWith(code + " ")).findFirst()
                .orElseThrow();
        String[] cells = line.split(" +");
        return cells[cells.length - 1];
    }
}
