package marketbackend.customer;

import java.time.YearMonth;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import marketbackend.Server;
import marketbackend.support.Api;
import marketbackend.support.Customers;
import marketbackend.support.Customers.Customer;
import marketbackend.support.TestApp;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/** Payment methods: gateway tokens only (never card numbers), not expired, gateway from the market, own rows only. */
@ServerTest
class PaymentMethodTest {
    private final Api api;

    PaymentMethodTest(Http1Client client) {
        this.api = new Api(client);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder r) {
        Server.routing(r, TestApp.get());
    }

    static Map<String, Object> valid() {
        Map<String, Object> m = new HashMap<>();
        m.putAll(Map.of("token", "tok_1NpQbR2eZvKYlo2C", "brand", "visa", "last4", "4242",
                "exp_month", 12, "exp_year", YearMonth.now().getYear() + 2));
        return m;
    }

    static Map<String, Object> with(String field, Object value) {
        Map<String, Object> m = valid();
        m.put(field, value);
        return m;
    }

    @ParameterizedTest
    @CsvSource({"KG, mbank", "US, stripe"})
    void savedWithTheMarketsGateway(String market, String gateway) {
        Customer c = Customers.create(market);
        Api.Res res = api.post("/api/payment-methods", c.token(), valid());
        JsonNode pm = res.expect(201);
        assertThat(pm.get("market").asText(), is(market));
        assertThat(pm.get("gateway").asText(), is(gateway));
        assertThat(pm.get("last4").asText(), is("4242"));
        assertThat("the token is never sent back", pm.get("token"), nullValue());
        long id = pm.get("id").asLong();
        assertThat(res.header("Location"), is("/api/payment-methods/" + id));
        JsonNode list = api.get("/api/payment-methods", c.token()).expect(200);
        assertThat(list.get("total").asLong(), is(1L));
        assertThat(api.get("/api/payment-methods/" + id, c.token()).expect(200).get("brand").asText(), is("visa"));
        api.delete("/api/payment-methods/" + id, c.token()).expect(204);
        api.get("/api/payment-methods/" + id, c.token()).problem(404);
    }

    /** Bodies that carry a card number somewhere; each must be refused before anything is stored. */
    static List<Map<String, Object>> cardNumberBodies() {
        return List.of(
                with("token", "4111111111111111"),
                with("token", "4111 1111 1111 1111"),
                with("token", "4111-1111-1111-1111"),
                with("token", "tok_5500000000000004"),
                with("brand", "visa 4242424242424242"),
                with("last4", "4012888888881881"),
                with("token", "4222222222222"),               // 13 digits
                with("token", "6011000990139424"),            // Discover
                with("token", "6200000000000005"),            // UnionPay (Elcart cards are UnionPay/national)
                with("token", "4000000000000000006"),         // 19 digits
                with("card_number", "378282246310005"),       // an unknown field: still refused as a card
                with("pan", 4111111111111111L),               // as a JSON number
                with("meta", Map.of("cards", List.of("5105 1051 0510 5100")))); // nested
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void cardNumbersAnywhereAre422(String market) {
        Customer c = Customers.create(market);
        for (Map<String, Object> body : cardNumberBodies()) {
            JsonNode p = api.post("/api/payment-methods", c.token(), body).problem(422);
            assertThat(body.toString(), p.get("detail").asText(), containsString("Card numbers"));
        }
        JsonNode p = api.post("/api/payment-methods", c.token(), "{\"4111111111111111\": 1}").problem(422);
        assertThat(p.get("detail").asText(), containsString("Card numbers"));
        assertThat(api.get("/api/payment-methods", c.token()).expect(200).get("total").asLong(), is(0L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void digitsThatAreNoCardNumberPass(String market) {
        Customer c = Customers.create(market);
        // 16 digits failing the Luhn check, and a long run that is no card: gateway tokens may look like this
        api.post("/api/payment-methods", c.token(), with("token", "tok_4111111111111112")).expect(201);
        api.post("/api/payment-methods", c.token(), with("token", "pm_12345678901234567890123")).expect(201);
    }

    @ParameterizedTest
    @CsvSource({"KG, Asia/Bishkek", "US, America/New_York"})
    void expiredCardsAre422AndThisMonthIsFine(String market, String zone) {
        Customer c = Customers.create(market);
        YearMonth now = YearMonth.now(ZoneId.of(zone));
        YearMonth last = now.minusMonths(1);
        JsonNode p = api.post("/api/payment-methods", c.token(),
                with("exp_year", last.getYear(), "exp_month", last.getMonthValue())).problem(422);
        assertThat(p.get("detail").asText(), containsString("expired"));
        api.post("/api/payment-methods", c.token(), with("exp_year", 2020, "exp_month", 1)).problem(422);
        // through the end of the expiry month; a month boundary between the two calls only makes it stricter
        int status = api.post("/api/payment-methods", c.token(),
                with("exp_year", now.getYear(), "exp_month", now.getMonthValue())).status();
        assertThat(status == 201 || !YearMonth.now(ZoneId.of(zone)).equals(now), is(true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void badFieldsAre422(String market) {
        Customer c = Customers.create(market);
        for (Map<String, Object> body : List.of(with("exp_month", 13), with("exp_month", 0), with("exp_year", 27),
                with("last4", "42a2"), with("last4", "424"), with("brand", ""), with("token", null),
                with("token", "tok with spaces"), with("exp_month", "12"), with("gateway", "stripe"),
                with("market", Customers.other(market)))) {
            api.post("/api/payment-methods", c.token(), body).problem(422);
        }
        assertThat(api.get("/api/payment-methods", c.token()).expect(200).get("total").asLong(), is(0L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void anotherCustomersPaymentMethodLooksMissing(String market) {
        Customer owner = Customers.create(market);
        long id = api.post("/api/payment-methods", owner.token(), valid()).expect(201).get("id").asLong();
        for (Customer intruder : new Customer[] {Customers.create(market), Customers.create(Customers.other(market))}) {
            JsonNode missing = api.get("/api/payment-methods/" + Long.MAX_VALUE, intruder.token()).problem(404);
            Bola.sameAs(missing, api.get("/api/payment-methods/" + id, intruder.token()).problem(404));
            Bola.sameAs(missing, api.delete("/api/payment-methods/" + id, intruder.token()).problem(404));
            assertThat(api.get("/api/payment-methods", intruder.token()).expect(200).get("total").asLong(), is(0L));
        }
        api.get("/api/payment-methods/" + id, owner.token()).expect(200);
    }

    private static Map<String, Object> with(String f1, Object v1, String f2, Object v2) {
        Map<String, Object> m = with(f1, v1);
        m.put(f2, v2);
        return m;
    }
}
