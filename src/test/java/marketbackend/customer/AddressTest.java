package marketbackend.customer;

import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;

import org.junit.jupiter.api.Test;
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

/** Addresses: per-market formats, market and delivery service from the database, own rows only. */
@ServerTest
class AddressTest {
    private final Api api;

    AddressTest(Http1Client client) {
        this.api = new Api(client);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder r) {
        Server.routing(r, TestApp.get());
    }

    static Map<String, Object> valid(String market) {
        Map<String, Object> m = new HashMap<>();
        if (market.equals("KG")) {
            m.putAll(Map.of("line1", "ул. Киевская, 96", "city", "Бишкек", "region", "г. Бишкек", "postal_code", "720001"));
        } else {
            m.putAll(Map.of("line1", "1 Market St", "line2", "Suite 300", "city", "San Francisco", "region", "ca",
                    "postal_code", "94105-1234"));
        }
        return m;
    }

    static Map<String, Object> with(String market, String field, Object value) {
        Map<String, Object> m = valid(market);
        m.put(field, value);
        return m;
    }

    @ParameterizedTest
    @CsvSource({"KG, kyrgyzpost, Bishkek", "US, usps, CA"})
    void createReadUpdateDelete(String market, String delivery, String region) {
        Customer c = Customers.create(market);
        Api.Res created = api.post("/api/addresses", c.token(), valid(market));
        JsonNode a = created.expect(201);
        long id = a.get("id").asLong();
        assertThat(created.header("Location"), is("/api/addresses/" + id));
        assertThat(a.get("market").asText(), is(market));
        assertThat(a.get("delivery_service").asText(), is(delivery));
        assertThat(a.get("region").asText(), is(region));

        JsonNode list = api.get("/api/addresses", c.token()).expect(200);
        assertThat(list.get("total").asLong(), is(1L));
        assertThat(list.get("items").get(0).get("id").asLong(), is(id));
        assertThat(api.get("/api/addresses/" + id, c.token()).expect(200).get("line1").asText(),
                is(valid(market).get("line1")));

        JsonNode changed = api.put("/api/addresses/" + id, c.token(), with(market, "line1", "  New line  ")).expect(200);
        assertThat(changed.get("line1").asText(), is("New line"));
        assertThat(changed.get("delivery_service").asText(), is(delivery));

        api.delete("/api/addresses/" + id, c.token()).expect(204);
        api.get("/api/addresses/" + id, c.token()).problem(404);
        assertThat(api.get("/api/addresses", c.token()).expect(200).get("total").asLong(), is(0L));
    }

    @ParameterizedTest
    @CsvSource({
            "KG, postal_code, 12345", "KG, postal_code, 7200011", "KG, postal_code, 72000A", "KG, postal_code, 94105",
            "KG, region, Almaty", "KG, region, Osh", "KG, region, CA", "KG, region, Moscow",
            "US, postal_code, 1234", "US, postal_code, ABCDE", "US, postal_code, 12345-12", "US, postal_code, 720001",
            "US, region, California", "US, region, XX", "US, region, Bishkek", "US, region, C"})
    void marketFormatsAreChecked(String market, String field, String value) {
        Customer c = Customers.create(market);
        JsonNode p = api.post("/api/addresses", c.token(), with(market, field, value)).problem(422);
        assertThat(p.get("detail").asText(), containsString(field));
        assertThat(api.get("/api/addresses", c.token()).expect(200).get("total").asLong(), is(0L));
    }

    @ParameterizedTest
    @CsvSource({"Osh city, Osh city", "KG-GO, Osh city", "Ошская область, Osh Region", "chuy, Chuy Region",
            "Иссык-Кульская область, Issyk-Kul Region", "Bishkek, Bishkek", "Talas, Talas Region"})
    void kgRegionsIncludeBishkekAndOshCities(String given, String stored) {
        Customer c = Customers.create("KG");
        assertThat(api.post("/api/addresses", c.token(), with("KG", "region", given)).expect(201)
                .get("region").asText(), is(stored));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void badBodiesAre4xx(String market) {
        Customer c = Customers.create(market);
        api.post("/api/addresses", c.token(), with(market, "line1", null)).problem(422);
        api.post("/api/addresses", c.token(), with(market, "line1", "   ")).problem(422);
        api.post("/api/addresses", c.token(), with(market, "line1", "x".repeat(201))).problem(422);
        api.post("/api/addresses", c.token(), with(market, "city", "Bad\u0000city")).problem(422);
        api.post("/api/addresses", c.token(), with(market, "postal_code", 720001)).problem(422);
        // the database decides these; a body that tries is refused
        api.post("/api/addresses", c.token(), with(market, "market", Customers.other(market))).problem(422);
        api.post("/api/addresses", c.token(), with(market, "user_id", 1)).problem(422);
        api.post("/api/addresses", c.token(), with(market, "delivery_service", "dhl")).problem(422);
        api.post("/api/addresses", c.token(), "{\"line1\":").problem(400);
        assertThat(api.get("/api/addresses", c.token()).expect(200).get("total").asLong(), is(0L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void anotherCustomersAddressLooksMissing(String market) {
        Customer owner = Customers.create(market);
        Customer sameMarket = Customers.create(market);
        Customer otherMarket = Customers.create(Customers.other(market));
        long id = api.post("/api/addresses", owner.token(), valid(market)).expect(201).get("id").asLong();
        JsonNode missing = api.get("/api/addresses/" + Long.MAX_VALUE, sameMarket.token()).problem(404);

        for (Customer intruder : new Customer[] {sameMarket, otherMarket}) {
            Bola.sameAs(missing, api.get("/api/addresses/" + id, intruder.token()).problem(404));
            Bola.sameAs(missing, api.put("/api/addresses/" + id, intruder.token(),
                    valid(intruder.market())).problem(404));
            Bola.sameAs(missing, api.delete("/api/addresses/" + id, intruder.token()).problem(404));
            assertThat(api.get("/api/addresses", intruder.token()).expect(200).get("total").asLong(), is(0L));
        }
        // untouched
        JsonNode mine = api.get("/api/addresses/" + id, owner.token()).expect(200);
        assertThat(mine.get("line1").asText(), is(valid(market).get("line1")));
    }

    @Test
    void badIdsAre404() {
        Customer c = Customers.create("KG");
        for (String id : new String[] {"abc", "0", "-1", "1.5", "99999999999999999999"}) {
            api.get("/api/addresses/" + id, c.token()).problem(404);
            api.delete("/api/addresses/" + id, c.token()).problem(404);
        }
    }
}
