package marketbackend;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.helidon.webserver.WebServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import marketbackend.client.ApiClient;
import marketbackend.client.ApiException;
import marketbackend.client.api.AddressesApi;
import marketbackend.client.api.AuthApi;
import marketbackend.client.api.CartApi;
import marketbackend.client.api.CatalogApi;
import marketbackend.client.api.ManagerApi;
import marketbackend.client.api.ManagerOrdersApi;
import marketbackend.client.api.MarketsApi;
import marketbackend.client.api.NotificationsApi;
import marketbackend.client.api.OrdersApi;
import marketbackend.client.api.PaymentMethodsApi;
import marketbackend.client.api.ProfileApi;
import marketbackend.client.model.AddressInput;
import marketbackend.client.model.CartItemInput;
import marketbackend.client.model.CodeRequest;
import marketbackend.client.model.Market;
import marketbackend.client.model.Order;
import marketbackend.client.model.OrderInput;
import marketbackend.client.model.PaymentMethodInput;
import marketbackend.client.model.Product;
import marketbackend.client.model.ManagerSettingsInput;
import marketbackend.client.model.TokenRequest;
import marketbackend.manager.GrantManager;
import marketbackend.support.Fixtures;
import marketbackend.support.Sql;
import marketbackend.support.TestApp;
import marketbackend.support.TestDatabase;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.isIn;
import static org.hamcrest.Matchers.startsWith;

/**
 * The README walk-through, through the Java client that the build generates from the served
 * document (openapi-generator, library {@code native}): if a storefront team can do this with the
 * document as it is, so can they. A guest browses KG and US, a customer logs in with the code from
 * {@code sms_outbox} and checks out, a manager switches market and loses one.
 */
class GeneratedClientTest {
    private static final Pattern CODE = Pattern.compile("(?<![0-9])[0-9]{6}(?![0-9])");
    private static WebServer server;
    private static String tag;
    private static long kgProduct;
    private static long usProduct;

    @BeforeAll
    static void start() throws SQLException {
        // one test logs in twice from one address: the address limits are not what it is about
        AppConfig cfg = TestDatabase.get().config(
                Map.of("AUTH_IP_CODES_PER_HOUR", "0", "AUTH_IP_TOKEN_TRIES_PER_HOUR", "0"));
        Server.App app = Server.App.create(cfg, TestApp.get().db());
        server = Server.configure(WebServer.builder(), app).host("127.0.0.1").port(0).build().start();
        tag = Fixtures.unique("client");
        kgProduct = Fixtures.product("KG", tag + " kg", null, 5, Map.of("KG", "1250.00"));
        usProduct = Fixtures.product("US", tag + " us", null, 5, Map.of("US", "19.99"));
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    /** A generated client for a caller: {@code token} null for a guest. */
    private static ApiClient client(String token) {
        ApiClient c = new ApiClient();
        c.updateBaseUri("http://127.0.0.1:" + server.port());
        if (token != null) {
            c.setRequestInterceptor(b -> b.header("Authorization", "Bearer " + token));
        }
        return c;
    }

    @Test
    void guestBrowsesEachMarketInItsCurrency() throws ApiException {
        ApiClient guest = client(null);
        assertThat(new MarketsApi(guest).listMarkets(null).getItems().stream().map(Market::getCode).toList(),
                hasItem("US"));
        CatalogApi catalog = new CatalogApi(guest);
        List<Product> kg = catalog.listProducts("KG", null, tag, null, null).getItems();
        assertThat(kg.stream().map(Product::getId).toList(), containsInAnyOrder(kgProduct));
        assertThat(kg.getFirst().getCurrency(), is("KGS"));
        List<Product> us = catalog.listProducts("US", null, tag, null, 5).getItems();
        assertThat(us.stream().map(Product::getId).toList(), containsInAnyOrder(usProduct));
        assertThat(us.getFirst().getPrice(), is("19.99"));
        assertThat(catalog.listCategories("US", null, null).getItems().stream().map(c -> c.getMarket()).toList(),
                everyItem(isIn(List.of("US", "ALL"))));
        catalog.listBanners("KG", null, null);

        ApiException hidden = expectProblem(() -> catalog.getProduct(kgProduct, "US"));
        assertThat(hidden.getCode(), is(404));
        assertThat(expectProblem(() -> catalog.listProducts("kg", null, null, null, null)).getCode(), is(400));
    }

    @Test
    void customerLogsInWithTheSmsCodeAndChecksOut() throws Exception {
        String phone = Fixtures.phone("KG");
        String token = login(phone);
        ApiClient customer = client(token);
        assertThat(new ProfileApi(customer).getMe(null).getMarket(), is("KG"));

        new CartApi(customer).addCartItem(new CartItemInput().productId(kgProduct).quantity(2), null);
        long address = new AddressesApi(customer).createAddress(new AddressInput().line1("ул. Киевская, 96")
                .city("Бишкек").region("Bishkek").postalCode("720001"), null).getId();
        long card = new PaymentMethodsApi(customer).createPaymentMethod(new PaymentMethodInput().token("mb_tok_8f2a")
                .brand("elcart").last4("1234").expMonth(12).expYear(2030), null).getId();
        Order order = new OrdersApi(customer).placeOrder(UUID.randomUUID().toString(),
                new OrderInput().addressId(address).paymentMethodId(card), null);
        assertThat(order.getOrderNumber(), startsWith("KG-"));
        assertThat(order.getCurrency(), is("KGS"));
        assertThat(order.getTotalAmount(), is("2500.00"));
        assertThat(new NotificationsApi(customer).listNotifications(null, null, null, null).getItems().getFirst()
                .getTitle(), is("Заказ " + order.getOrderNumber() + " оформлен"));

        // a KG customer stays in KG
        assertThat(expectProblem(() -> new OrdersApi(customer).listOrders("US", null, null)).getCode(), is(403));
    }

    @Test
    void managerSwitchesMarketAndLosesOne() throws Exception {
        String phone = Fixtures.phone("US");
        assertThat(grant(phone, "KG,US"), is(0));
        ApiClient manager = client(login(phone));
        ManagerApi me = new ManagerApi(manager);
        assertThat(me.getManagerMe(null).getAccessibleMarkets(), containsInAnyOrder("KG", "US"));

        ManagerOrdersApi orders = new ManagerOrdersApi(manager);
        assertThat(orders.listManagerOrders("US", null, null, null, null, 50).getItems().stream()
                .map(o -> o.getMarket()).toList(), everyItem(is("US")));
        assertThat(me.saveManagerSettings(new ManagerSettingsInput().activeMarket("US"), null).getActiveMarket(),
                is("US"));
        assertThat(me.getManagerMe(null).getCurrentMarket(), is("US"));

        assertThat(grant(phone, "KG"), is(0));
        // losing a market ends the manager's sessions; a token of a new session is refused the US
        assertThat(expectProblem(() -> orders.listManagerOrders("KG", null, null, null, null, null)).getCode(), is(401));
        long id;
        try (var c = TestDatabase.get().owner()) {
            id = Long.parseLong(Sql.strings(c, "SELECT id::text FROM users WHERE phone = ?", phone).getFirst());
        }
        ManagerOrdersApi again = new ManagerOrdersApi(client(marketbackend.support.Api.managerToken(id, "US")));
        ApiException revoked = expectProblem(() -> again.listManagerOrders("US", null, null, null, null, null));
        assertThat(revoked.getCode(), is(403));
        assertThat(revoked.getResponseBody().contains("No access to US market"), is(true));
    }

    /** The phone login of the README: ask for a code, read it from the SMS outbox, trade it for a token. */
    private static String login(String phone) throws ApiException, SQLException {
        AuthApi auth = new AuthApi(client(null));
        assertThat(auth.requestLoginCode(new CodeRequest().phone(phone), null).getMarket(),
                is(phone.startsWith("+996") ? "KG" : "US"));
        String body;
        try (Connection c = TestDatabase.get().owner()) {
            body = Sql.strings(c, "SELECT body FROM sms_outbox WHERE phone = ? ORDER BY id DESC", phone).getFirst();
        }
        Matcher m = CODE.matcher(body);
        assertThat(body, m.find(), is(true));
        return auth.createAccessToken(new TokenRequest().phone(phone).code(m.group()), null).getAccessToken();
    }

    private static int grant(String phone, String markets) {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return GrantManager.run(TestDatabase.get().config(), List.of(phone, "--markets", markets), quiet, quiet);
    }

    private interface Call {
        void run() throws ApiException;
    }

    /** The client's exception for a problem answer (the body is RFC 9457 problem+json). */
    private static ApiException expectProblem(Call call) {
        try {
            call.run();
        } catch (ApiException e) {
            assertThat(e.getResponseHeaders().firstValue("Content-Type").orElse(""), startsWith("application/problem+json"));
            return e;
        }
        throw new AssertionError("expected a problem answer");
    }
}
