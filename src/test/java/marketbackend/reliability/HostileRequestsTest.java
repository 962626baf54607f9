package marketbackend.reliability;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import marketbackend.Server;
import marketbackend.support.Api;
import marketbackend.support.Fixtures;
import marketbackend.support.TestApp;
import marketbackend.support.TestDatabase;

import static marketbackend.reliability.ForgedTokens.b64;
import static marketbackend.reliability.ForgedTokens.header;
import static marketbackend.reliability.ForgedTokens.hours;
import static marketbackend.reliability.ForgedTokens.payload;
import static marketbackend.reliability.ForgedTokens.withSecret;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

/**
 * A catalogue of hostile and malformed requests against a real listening server configured exactly
 * like production ({@link Server#configure}). Each one must get a 4xx problem+json answer with a
 * status and a title and nothing internal, must write no row anywhere, and must leave the server
 * serving: a normal request succeeds right after.
 */
@ServerTest
class HostileRequestsTest {
    private static World w;
    private static Connection owner;
    private final int port;

    HostileRequestsTest(WebServer server) {
        this.port = server.port();
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Server.configure(server, TestApp.get());
    }

    /** Who and what the cases point at, created once. */
    record World(long kgUser, String kg, String us, String managerKg, long kgProduct, long usProduct, long kgAddress,
                 long kgCard, long usAddress, long usOrder) {

        String fill(String s) {
            return s.replace("{KG_PRODUCT}", Long.toString(kgProduct)).replace("{US_PRODUCT}", Long.toString(usProduct))
                    .replace("{KG_ADDRESS}", Long.toString(kgAddress)).replace("{KG_CARD}", Long.toString(kgCard))
                    .replace("{US_ADDRESS}", Long.toString(usAddress)).replace("{US_ORDER}", Long.toString(usOrder))
                    .replace("{KG_USER}", Long.toString(kgUser));
        }
    }

    @BeforeAll
    static void world() throws Exception {
        owner = TestDatabase.get().owner();
        long kgUser = Fixtures.user("KG");
        long usUser = Fixtures.user("US");
        long manager = Fixtures.manager("KG", "manager", "KG");
        long kgProduct = Shop.product(owner, "KG", Fixtures.unique("hostile kg"), 5, "KG", "100.00");
        long usProduct = Shop.product(owner, "US", Fixtures.unique("hostile us"), 5, "US", "10.00");
        long usAddress = Shop.address(owner, usUser, "US");
        long usOrder = marketbackend.support.Sql.insertId(owner,
                "INSERT INTO orders (user_id, total_amount) VALUES (?, 10.00) RETURNING id", usUser);
        w = new World(kgUser, Api.token(kgUser, "KG"), Api.token(usUser, "US"), Api.managerToken(manager, "KG"), kgProduct, usProduct, Shop.address(owner, kgUser, "KG"),
                Shop.card(owner, kgUser), usAddress, usOrder);
    }

    @AfterAll
    static void close() throws Exception {
        owner.close();
    }

    // ------------------------------------------------------------------ the catalogue

    /** One hostile request: a name for the report and how to build its bytes. */
    record Case(String name, Function<World, byte[]> request, int expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final Function<World, String> GUEST = x -> null;
    private static final Function<World, String> KG = x -> "Bearer " + x.kg();
    private static final Function<World, String> MANAGER_KG = x -> "Bearer " + x.managerKg();

    /** A request under construction. */
    private static final class Req {
        final String method;
        final String target;
        Function<World, String> auth = GUEST;
        final Map<String, List<String>> headers = new LinkedHashMap<>();
        String contentType;
        Function<World, byte[]> body;
        int expected = -1;

        Req(String method, String target) {
            this.method = method;
            this.target = target;
        }

        Req as(Function<World, String> who) {
            this.auth = who;
            return this;
        }

        Req bearer(Function<World, String> token) {
            this.auth = x -> "Bearer " + token.apply(x);
            return this;
        }

        Req header(String name, String value) {
            headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            return this;
        }

        Req json(String text) {
            return body("application/json", x -> x.fill(text).getBytes(StandardCharsets.UTF_8));
        }

        Req body(String type, Function<World, byte[]> bytes) {
            this.contentType = type;
            this.body = bytes;
            return this;
        }

        Req expect(int status) {
            this.expected = status;
            return this;
        }

        Case named(String name) {
            return new Case(name, x -> {
                Map<String, List<String>> all = new LinkedHashMap<>();
                String a = auth.apply(x);
                if (a != null) {
                    all.put("Authorization", new ArrayList<>(List.of(a)));
                }
                headers.forEach((k, v) -> all.computeIfAbsent(k, n -> new ArrayList<>()).addAll(v.stream().map(x::fill).toList()));
                if (contentType != null) {
                    all.put("Content-Type", List.of(contentType));
                }
                return RawHttp.request(method, x.fill(target), all, body == null ? null : body.apply(x));
            }, expected);
        }
    }

    private static Req get(String target) {
        return new Req("GET", target);
    }

    private static Req post(String target) {
        return new Req("POST", target);
    }

    private static Req cartItem(String json) {
        return post("/api/cart/items").as(KG).json(json);
    }

    private static Req address(String json) {
        return post("/api/addresses").as(KG).json(json);
    }

    private static Req order(String json) {
        return post("/api/orders").as(KG).header("Idempotency-Key", "hostile-" + json.hashCode()).json(json);
    }

    private static Req product(String json) {
        return post("/api/manager/products").as(MANAGER_KG).json(json);
    }

    private static Req code(String phoneJson) {
        return post("/api/auth/code").json("{\"phone\":" + phoneJson + "}");
    }

    private static Req me(Function<World, String> token) {
        return get("/api/me").bearer(token);
    }

    private static final String KG_ADDRESS = "\"line1\":\"пр. Чуй, 1\",\"city\":\"Бишкек\",\"region\":\"Bishkek\","
            + "\"postal_code\":\"720001\"";
    private static final String ORDER = "\"address_id\":{KG_ADDRESS},\"payment_method_id\":{KG_CARD}";

    static Stream<Case> catalogue() {
        List<Case> c = new ArrayList<>();
        // ---- malformed JSON
        c.add(cartItem("{").named("json: only an opening brace"));
        c.add(cartItem("{\"product_id\":1,\"quantity\":1").named("json: unterminated object"));
        c.add(cartItem("[]").named("json: an array instead of an object"));
        c.add(cartItem("\"text\"").named("json: a string instead of an object"));
        c.add(cartItem("null").named("json: null"));
        c.add(cartItem("").named("json: empty body"));
        c.add(cartItem("{\"product_id\":{KG_PRODUCT},\"quantity\":1}{\"x\":1}").named("json: trailing second document"));
        c.add(cartItem("{\"product_id\":{KG_PRODUCT},\"product_id\":{US_PRODUCT},\"quantity\":1}").named("json: duplicate key"));
        c.add(cartItem("{'product_id':{KG_PRODUCT},'quantity':1}").named("json: single quotes"));
        c.add(cartItem("{\"product_id\":{KG_PRODUCT},\"quantity\":1,}").named("json: trailing comma"));
        c.add(cartItem("/* c */{\"product_id\":{KG_PRODUCT},\"quantity\":1}").named("json: comment"));
        c.add(cartItem("{\"product_id\":NaN,\"quantity\":1}").named("json: NaN"));
        c.add(cartItem("[".repeat(5000) + "]".repeat(5000)).named("json: 5000 nested arrays"));
        c.add(cartItem("{\"a\":".repeat(3000) + "1" + "}".repeat(3000)).named("json: 3000 nested objects"));
        c.add(post("/api/cart/items").as(KG).body("application/json", x -> new byte[]{'{', '"', (byte) 0xff, (byte) 0xfe, '"',
                ':', '1', '}'}).named("json: invalid UTF-8"));
        c.add(post("/api/cart/items").as(KG).body("text/plain", x -> "{\"product_id\":1,\"quantity\":1}".getBytes(StandardCharsets.UTF_8))
                .expect(415).named("json body sent as text/plain"));
        c.add(post("/api/cart/items").as(KG).body("application/x-www-form-urlencoded",
                x -> "product_id=1&quantity=1".getBytes(StandardCharsets.UTF_8)).expect(415).named("form body"));
        c.add(cartItem("<cart><product_id>1</product_id></cart>").named("xml labelled as json"));
        c.add(post("/api/cart/items").as(KG).body("application/json", x -> new byte[70_000]).expect(413)
                .named("body above MAX_PAYLOAD_BYTES"));
        c.add(address("{" + KG_ADDRESS + ",\"line2\":\"" + "x".repeat(60_000) + "\"}").named("a 60 kB string field"));
        // ---- wrong types, huge and negative numbers
        c.add(cartItem("{\"product_id\":1e400,\"quantity\":1}").named("number: 1e400"));
        c.add(cartItem("{\"product_id\":99999999999999999999999,\"quantity\":1}").named("number: above 64 bits"));
        c.add(cartItem("{\"product_id\":" + "9".repeat(5000) + ",\"quantity\":1}").named("number: 5000 digits"));
        c.add(cartItem("{\"product_id\":{KG_PRODUCT},\"quantity\":-1}").named("quantity -1"));
        c.add(cartItem("{\"product_id\":{KG_PRODUCT},\"quantity\":0}").named("quantity 0"));
        c.add(cartItem("{\"product_id\":{KG_PRODUCT},\"quantity\":1.5}").named("quantity 1.5"));
        c.add(cartItem("{\"product_id\":{KG_PRODUCT},\"quantity\":\"1\"}").named("quantity as a string"));
        c.add(cartItem("{\"product_id\":{KG_PRODUCT},\"quantity\":true}").named("quantity true"));
        c.add(cartItem("{\"product_id\":{KG_PRODUCT},\"quantity\":2147483648}").named("quantity above int"));
        c.add(cartItem("{\"product_id\":{KG_PRODUCT},\"quantity\":-2147483649}").named("quantity below int"));
        c.add(cartItem("{\"product_id\":{KG_PRODUCT},\"quantity\":1001}").named("quantity above the cart limit"));
        c.add(cartItem("{\"product_id\":-5,\"quantity\":1}").named("product_id negative"));
        c.add(cartItem("{\"product_id\":0,\"quantity\":1}").named("product_id zero"));
        c.add(cartItem("{\"product_id\":null,\"quantity\":1}").named("product_id null"));
        c.add(cartItem("{\"product_id\":{},\"quantity\":1}").named("product_id an object"));
        c.add(cartItem("{\"product_id\":[{KG_PRODUCT}],\"quantity\":1}").named("product_id an array"));
        c.add(cartItem("{\"product_id\":\"{KG_PRODUCT} OR 1=1\",\"quantity\":1}").named("product_id SQL text"));
        c.add(cartItem("{\"product_id\":{US_PRODUCT},\"quantity\":1}").expect(404).named("product of another market"));
        c.add(cartItem("{\"product_id\":9223372036854775807,\"quantity\":1}").expect(404).named("product_id max long"));
        c.add(post("/api/payment-methods").as(KG).json("{\"token\":\"tok_1\",\"brand\":\"visa\",\"last4\":\"4242\","
                + "\"exp_month\":13,\"exp_year\":2099}").named("card: month 13"));
        c.add(post("/api/payment-methods").as(KG).json("{\"token\":\"4111111111111111\",\"brand\":\"visa\","
                + "\"last4\":\"1111\",\"exp_month\":12,\"exp_year\":2099}").named("card: a card number as token"));
        c.add(product("{\"name\":\"x\",\"market\":\"KG\",\"price\":\"1e9999\"}").named("price 1e9999"));
        c.add(product("{\"name\":\"x\",\"market\":\"KG\",\"price\":\"-1.00\"}").named("price negative"));
        c.add(product("{\"name\":\"x\",\"market\":\"KG\",\"price\":\"10.00\",\"stock\":-1}").named("stock negative"));
        c.add(product("{\"name\":\"x\",\"market\":\"KG\",\"price\":\"99999999999.99\"}").named("price above numeric(12,2)"));
        // ---- unknown and forbidden fields (mass assignment)
        c.add(cartItem("{\"product_id\":{KG_PRODUCT},\"quantity\":1,\"market\":\"US\"}").named("mass assignment: cart market"));
        c.add(cartItem("{\"product_id\":{KG_PRODUCT},\"quantity\":1,\"user_id\":1}").named("mass assignment: cart user_id"));
        c.add(cartItem("{\"product_id\":{KG_PRODUCT},\"quantity\":1,\"unit_price\":\"0.01\"}").named("mass assignment: cart price"));
        c.add(address("{" + KG_ADDRESS + ",\"market\":\"US\"}").named("mass assignment: address market"));
        c.add(address("{" + KG_ADDRESS + ",\"user_id\":1}").named("mass assignment: address user_id"));
        c.add(address("{" + KG_ADDRESS + ",\"id\":1}").named("mass assignment: address id"));
        c.add(address("{" + KG_ADDRESS + ",\"delivery_service\":\"dhl\"}").named("mass assignment: address delivery"));
        c.add(order("{" + ORDER + ",\"total_amount\":\"0.01\"}").named("mass assignment: order total_amount"));
        c.add(order("{" + ORDER + ",\"status\":\"delivered\"}").named("mass assignment: order status"));
        c.add(order("{" + ORDER + ",\"market\":\"US\"}").named("mass assignment: order market"));
        c.add(order("{" + ORDER + ",\"user_id\":1}").named("mass assignment: order user_id"));
        c.add(order("{" + ORDER + ",\"id\":1}").named("mass assignment: order id"));
        c.add(order("{" + ORDER + ",\"order_number\":\"KG-000001\"}").named("mass assignment: order number"));
        c.add(order("{\"address_id\":{US_ADDRESS},\"payment_method_id\":{KG_CARD}}").named("order: another market's address"));
        c.add(post("/api/payment-methods").as(KG).json("{\"token\":\"tok_1\",\"brand\":\"visa\",\"last4\":\"4242\","
                + "\"exp_month\":12,\"exp_year\":2099,\"gateway\":\"stripe\"}").named("mass assignment: card gateway"));
        c.add(new Req("PATCH", "/api/me").as(KG).json("{\"market\":\"US\"}").named("mass assignment: my market"));
        c.add(new Req("PATCH", "/api/me").as(KG).json("{\"phone\":\"+12025550100\"}").named("mass assignment: my phone"));
        c.add(new Req("PATCH", "/api/me").as(KG).json("{\"id\":1,\"name\":\"x\"}").named("mass assignment: my id"));
        c.add(product("{\"name\":\"x\",\"market\":\"KG\",\"price\":\"1.00\",\"id\":1}").named("mass assignment: product id"));
        c.add(product("{\"name\":\"x\",\"market\":\"US\",\"price\":\"1.00\"}").named("manager: product for an unmanaged market"));
        c.add(product("{\"name\":\"x\",\"market\":\"ALL\",\"price\":\"1.00\"}").expect(403).named("manager: ALL product without every market"));
        c.add(new Req("PATCH", "/api/manager/orders/{US_ORDER}").as(MANAGER_KG).json("{\"status\":\"confirmed\"}")
                .expect(404).named("manager: another market's order"));
        c.add(new Req("PATCH", "/api/manager/orders/{US_ORDER}").as(MANAGER_KG).json("{\"status\":\"confirmed\",\"market\":\"KG\"}")
                .named("mass assignment: order market by manager"));
        c.add(new Req("PUT", "/api/manager/settings").as(MANAGER_KG).json("{\"active_market\":\"US\"}").expect(403)
                .named("manager: save an unmanaged market"));
        c.add(new Req("PUT", "/api/manager/settings").as(MANAGER_KG).json("{\"active_market\":\"kg\"}").named("manager: market in lower case"));
        // ---- path injection
        c.add(get("/api/products/1%20OR%201=1").expect(404).named("path: SQL OR"));
        c.add(get("/api/products/1;DROP%20TABLE%20products").expect(400).named("path: SQL stacked statement"));
        c.add(get("/api/products/%27").expect(404).named("path: quote"));
        c.add(get("/api/products/..%2F..%2Fetc%2Fpasswd").named("path: encoded ../"));
        c.add(get("/api/products/%2e%2e/%2e%2e/etc/passwd").named("path: encoded dots"));
        c.add(get("/api/products/%00").named("path: encoded NUL"));
        c.add(get("/api/products/1%00").named("path: id with encoded NUL"));
        c.add(get("/api/products/%EF%BC%91").expect(404).named("path: full-width digit one"));
        c.add(get("/api/products/%D9%A3").expect(404).named("path: Arabic-Indic digit"));
        c.add(get("/api/products/0x10").expect(404).named("path: hex id"));
        c.add(get("/api/products/-1").expect(404).named("path: negative id"));
        c.add(get("/api/products/99999999999999999999").expect(404).named("path: id above 64 bits"));
        c.add(get("/api/products/" + "1".repeat(1500)).named("path: 1500 digit id"));
        c.add(get("/api/orders/1%27%20OR%20%271%27=%271").as(KG).expect(404).named("path: order id with SQL"));
        c.add(get("/etc/passwd").named("path: outside the API"));
        c.add(get("/api/products/1/../../manager/orders").named("path: ../ to the manager API"));
        c.add(get("/api/../../../../etc/passwd").named("path: ../ above the root"));
        c.add(get("/api/nothing-here").expect(404).named("path: unknown resource"));
        c.add(get("/api/products/").expect(404).named("path: trailing slash"));
        // ---- query injection and limits
        c.add(get("/api/products?category_id=1%20OR%201=1").expect(400).named("query: category_id SQL"));
        c.add(get("/api/products?category_id=abc").expect(400).named("query: category_id text"));
        c.add(get("/api/products?category_id=1e3").expect(400).named("query: category_id exponent"));
        c.add(get("/api/products?category_id=99999999999999999999").expect(400).named("query: category_id above 64 bits"));
        c.add(get("/api/products?page=0").expect(400).named("query: page 0"));
        c.add(get("/api/products?page=-1").expect(400).named("query: page negative"));
        c.add(get("/api/products?page=99999999999").expect(400).named("query: page huge"));
        c.add(get("/api/products?page=1;DROP%20TABLE%20products").expect(400).named("query: page SQL"));
        c.add(get("/api/products?size=0").expect(400).named("query: size 0"));
        c.add(get("/api/products?size=101").expect(400).named("query: size above MAX_PAGE_SIZE"));
        c.add(get("/api/products?size=1000000").expect(400).named("query: size a million"));
        c.add(get("/api/products?page=1&page=2").expect(400).named("query: page twice"));
        c.add(get("/api/products?q=a%00b").expect(400).named("query: q with encoded NUL"));
        c.add(get("/api/products?q=" + "a".repeat(101)).expect(400).named("query: q above 100 characters"));
        c.add(get("/api/products?q=" + "%27%20OR%201=1--".repeat(200)).named("query: very long SQL in q"));
        c.add(get("/api/manager/orders?status=pending%27%20OR%201=1--").as(MANAGER_KG).expect(400).named("query: status SQL"));
        c.add(get("/api/manager/orders?from=2020-01-01%27").as(MANAGER_KG).expect(400).named("query: from SQL"));
        c.add(get("/api/manager/revenue?date=..%2F..%2F").as(MANAGER_KG).expect(400).named("query: date ../"));
        c.add(get("/api/manager/revenue?date=2024-02-30").as(MANAGER_KG).expect(400).named("query: date 30 February"));
        // ---- X-Market
        c.add(get("/api/products").header("X-Market", "kg").expect(400).named("X-Market lower case"));
        c.add(get("/api/products").header("X-Market", "K G").expect(400).named("X-Market with a space inside"));
        c.add(get("/api/products").header("X-Market", "ALL").expect(400).named("X-Market ALL"));
        c.add(get("/api/products").header("X-Market", "KG,US").expect(400).named("X-Market list"));
        c.add(get("/api/products").header("X-Market", "KG").header("X-Market", "US").expect(400).named("X-Market twice, different"));
        c.add(get("/api/products").header("X-Market", "KG").header("X-Market", "KG").expect(400).named("X-Market twice, same"));
        c.add(get("/api/products").header("X-Market", "\u041a\u0413").named("X-Market Cyrillic look-alike"));
        c.add(get("/api/products").header("X-Market", "\uff2b\uff27").named("X-Market full-width"));
        c.add(get("/api/products").header("X-Market", "\u041aG").named("X-Market one Cyrillic letter"));
        c.add(get("/api/products").header("X-Market", "").expect(400).named("X-Market empty"));
        c.add(get("/api/products").header("X-Market", "' OR 1=1--").expect(400).named("X-Market SQL"));
        c.add(get("/api/products").header("X-Market", "K".repeat(8000)).expect(400).named("X-Market 8000 characters"));
        c.add(get("/api/me").as(KG).header("X-Market", "US").expect(403).named("X-Market of another market, customer"));
        c.add(get("/api/manager/orders").as(MANAGER_KG).header("X-Market", "US").expect(403).named("X-Market unmanaged, manager"));
        // ---- JWT
        c.add(me(x -> b64(header("none", "")) + "." + b64(payload(x.kgUser(), "KG", "customer", 0, 600, "")) + ".")
                .expect(401).named("jwt: alg none"));
        c.add(me(x -> b64(header("NONE", "")) + "." + b64(payload(x.kgUser(), "KG", "customer", 0, 600, "")) + ".")
                .expect(401).named("jwt: alg NONE"));
        c.add(me(x -> swapHeader(x.kg(), header("RS256", ""))).expect(401).named("jwt: RS256 header on an HMAC signature"));
        c.add(me(x -> ForgedTokens.hmac(header("HS512", ""), payload(x.kgUser(), "KG", "customer", 0, 600, ""),
                ForgedTokens.secret(), 512)).expect(401).named("jwt: HS512 with the right secret"));
        c.add(me(x -> flipSignature(x.kg())).expect(401).named("jwt: bad signature"));
        c.add(me(x -> ForgedTokens.hmac(header("HS256", ""), payload(x.kgUser(), "KG", "customer", 0, 600, ""),
                "attacker-secret-0123456789-0123456789".getBytes(StandardCharsets.UTF_8), 256)).expect(401)
                .named("jwt: another secret"));
        c.add(me(x -> withSecret(header("HS256", ""), payload(x.kgUser(), "KG", "customer", -hours(3), -hours(2), "")))
                .expect(401).named("jwt: expired"));
        c.add(me(x -> withSecret(header("HS256", ""), payload(x.kgUser(), "KG", "customer", hours(1), hours(2), "")))
                .expect(401).named("jwt: not before in the future"));
        c.add(me(x -> withSecret(header("HS256", ""), payload(x.kgUser(), "KG", "customer", 0, 600, "")
                .replace("\"iss\":\"market-backend\"", "\"iss\":\"evil\""))).expect(401).named("jwt: wrong issuer"));
        c.add(me(x -> withSecret(header("HS256", ""), payload(x.kgUser(), "KG", "customer", 0, 600, "")
                .replace("\"aud\":\"market-api\"", "\"aud\":\"other-api\""))).expect(401).named("jwt: wrong audience"));
        c.add(me(x -> withSecret(header("HS256", ""), payload(x.kgUser(), "KG", "customer", 0, 600,
                ",\"pad\":\"" + "x".repeat(9000) + "\""))).expect(401).named("jwt: 12 kB token"));
        c.add(me(x -> withSecret(header("HS256", ",\"kid\":\"../../../../dev/null\""),
                payload(x.kgUser(), "KG", "customer", 0, 600, ""))).expect(401).named("jwt: kid a file path"));
        c.add(me(x -> withSecret(header("HS256", ",\"kid\":\"https://evil.test/jwks.json\""),
                payload(x.kgUser(), "KG", "customer", 0, 600, ""))).expect(401).named("jwt: kid a URL"));
        c.add(me(x -> withSecret(header("HS256", ",\"kid\":\"' UNION SELECT 'secret' --\""),
                payload(x.kgUser(), "KG", "customer", 0, 600, ""))).expect(401).named("jwt: kid SQL"));
        c.add(me(x -> withSecret(header("HS256", ",\"kid\":\"\""),
                payload(x.kgUser(), "KG", "customer", 0, 600, ""))).expect(401).named("jwt: kid empty"));
        c.add(me(x -> ForgedTokens.rs256EmbeddedJwk(payload(x.kgUser(), "KG", "customer", 0, 600, "")))
                .expect(401).named("jwt: RS256 with its own embedded jwk"));
        c.add(me(x -> ForgedTokens.hmac(header("HS256", ",\"jku\":\"https://evil.test/keys\""),
                payload(x.kgUser(), "KG", "manager", 0, 600, ""),
                "attacker-secret-0123456789-0123456789".getBytes(StandardCharsets.UTF_8), 256)).expect(401)
                .named("jwt: jku to an attacker's keys"));
        c.add(me(x -> withSecret(header("HS256", ""), payload(x.kgUser(), "KG", "customer", 0, 600, "")
                .replace("\"exp\":", "\"x\":0,\"exp\":\"never\",\"y\":"))).expect(401).named("jwt: exp a string"));
        c.add(me(x -> b64(header("HS256", "")) + "." + b64("[1,2,3]") + ".c2ln").expect(401).named("jwt: payload an array"));
        c.add(me(x -> b64(header("HS256", "")) + "." + b64(payload(x.kgUser(), "KG", "customer", 0, 600, "")
                .replace("\"exp\":", "\"x\":0,\"exp\":\"never\",\"y\":")) + ".c2ln").expect(401)
                .named("jwt: unsigned, exp a string"));
        c.add(get("/api/me").header("Authorization", "Bearer a.b.c d.e.f").expect(401).named("jwt: two tokens in one header"));
        c.add(get("/api/me").as(KG).header("Authorization", "Bearer x.y.z").expect(400).named("jwt: a second Authorization header"));
        c.add(get("/api/me").header("Authorization", "Basic YWRtaW46YWRtaW4=").expect(401).named("auth: Basic"));
        c.add(get("/api/manager/orders").as(KG).expect(403).named("auth: customer token on the manager API"));
        c.add(get("/api/manager/orders").expect(401).named("auth: no token on the manager API"));
        // ---- phone formats (none of them may store a code)
        c.add(code("\"\"").named("phone: empty"));
        c.add(code("\"abc\"").named("phone: letters"));
        c.add(code("\"+996\"").named("phone: calling code only"));
        c.add(code("\"+99670012345678901234\"").named("phone: too long"));
        c.add(code("\"+1 202 555 01\"").named("phone: too short"));
        c.add(code("\"+44 20 7946 0958\"").named("phone: a market we do not serve"));
        c.add(code("\"+996 700 123 456; DROP TABLE users\"").named("phone: SQL"));
        c.add(code("996700123456").named("phone: a number, not a string"));
        c.add(code("\"" + "9".repeat(10_000) + "\"").named("phone: 10000 digits"));
        c.add(code("\"+996700\\u0000123456\"").named("phone: NUL inside"));
        c.add(code("\"\\u202e654321007699+\"").named("phone: right-to-left override"));
        c.add(code("null").named("phone: null"));
        c.add(post("/api/auth/code").json("{\"phone\":\"+996700123456\",\"market\":\"US\"}").named("phone: with a market field"));
        c.add(post("/api/auth/token").json("{\"phone\":\"+996700123456\",\"code\":\"12345\"}").named("login: five digit code"));
        c.add(post("/api/auth/token").json("{\"phone\":\"+996700123456\",\"code\":\"abcdef\"}").named("login: letters as code"));
        c.add(post("/api/auth/token").json("{\"phone\":\"+996700123456\",\"code\":123456}").named("login: code a number"));
        c.add(post("/api/auth/token").json("{\"phone\":\"+996700123456\",\"code\":\"' OR '1'='1\"}").named("login: SQL as code"));
        // ---- methods and other headers
        c.add(new Req("DELETE", "/api/products/{KG_PRODUCT}").named("method: DELETE on the catalog"));
        c.add(new Req("TRACE", "/api/products").named("method: TRACE"));
        c.add(new Req("POST", "/api/markets").json("{}").named("method: POST on markets"));
        c.add(post("/api/orders").as(KG).json("{" + ORDER + "}").expect(400).named("checkout without Idempotency-Key"));
        c.add(post("/api/orders").as(KG).header("Idempotency-Key", "k".repeat(201)).json("{" + ORDER + "}").expect(400)
                .named("Idempotency-Key of 201 characters"));
        c.add(post("/api/orders").as(KG).header("Idempotency-Key", "ключ").json("{" + ORDER + "}").expect(400)
                .named("Idempotency-Key not ASCII"));
        c.add(post("/api/orders").as(KG).header("Idempotency-Key", "a").header("Idempotency-Key", "b").json("{" + ORDER + "}")
                .expect(400).named("Idempotency-Key twice"));
        return c.stream();
    }

    private static String swapHeader(String token, String headerJson) {
        String[] p = token.split("\\.");
        return b64(headerJson) + "." + p[1] + "." + p[2];
    }

    private static String flipSignature(String token) {
        char last = token.charAt(token.length() - 3);
        return token.substring(0, token.length() - 3) + (last == 'A' ? 'B' : 'A') + token.substring(token.length() - 2);
    }

    /** Stack of the thread that sends a case and checks its answer: a quarter of the JVM's default. */
    static final long SMALL_STACK_BYTES = 256 * 1024;

    /**
     * Runs the client side of a case (building, sending, parsing, the contract check) on a small stack, so
     * that code recursing once per input character overflows on every run, not only on a cold JVM under load.
     */
    static <T> T onSmallStack(java.util.concurrent.Callable<T> work) throws Exception {
        var result = new java.util.concurrent.atomic.AtomicReference<T>();
        var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
        Thread t = new Thread(null, () -> {
            try {
                result.set(work.call());
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "hostile-small-stack", SMALL_STACK_BYTES);
        t.start();
        t.join();
        if (failure.get() instanceof Exception e) {
            throw e;
        }
        if (failure.get() instanceof Error e) {
            throw e;
        }
        return result.get();
    }

    @Test
    void theCatalogueIsLargeEnough() {
        assertThat(catalogue().count(), greaterThanOrEqualTo(100L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogue")
    void hostileRequestIsRefusedAndChangesNothing(Case c) throws Exception {
        Map<String, Long> before = Checks.rowCounts(owner);
        RawHttp.Answer a = onSmallStack(() -> RawHttp.send(port, c.request().apply(w)));
        Checks.clientProblem(a.status(), a.header("Content-Type"), a.body(), c.name() + " → " + a);
        if (c.expected() > 0) {
            assertThat(c.name() + " → " + a, a.status(), is(c.expected()));
        }
        assertThat(c.name() + ": rows written", Checks.rowCounts(owner), is(before));
        RawHttp.Answer normal = RawHttp.send(port, RawHttp.request("GET", "/api/products?size=1", Map.of(), null));
        assertThat("a normal request after '" + c.name() + "' → " + normal, normal.status(), is(200));
    }
}
