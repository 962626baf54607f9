package marketbackend.catalog;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import marketbackend.Server;
import marketbackend.support.Api;
import marketbackend.support.Contract;
import marketbackend.support.Fixtures;
import marketbackend.support.TestApp;
import marketbackend.value.JsonCodec;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/** The guest storefront over HTTP: each market sees its own rows and ALL, with its own prices. */
@ServerTest
class GuestCatalogTest {
    private static long kgProduct;
    private static long usProduct;
    private static long allProduct;
    private static long kgCategory;
    private static String tag;

    private final Http1Client client;

    GuestCatalogTest(Http1Client client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder r) {
        Server.routing(r, TestApp.get());
    }

    @BeforeAll
    static void seed() throws Exception {
        tag = Fixtures.unique("guest");
        kgCategory = Fixtures.category("KG", tag + " kg-cat");
        kgProduct = Fixtures.product("KG", tag + " kg", kgCategory, 3, Map.of("KG", "1250.00"));
        usProduct = Fixtures.product("US", tag + " us", null, 0, Map.of("US", "19.99"));
        allProduct = Fixtures.product("ALL", tag + " all", null, 7, Map.of("KG", "45000.00", "US", "499.00"));
    }

    @Test
    void kgSeesKgAndAllWithKgPrices() {
        JsonNode page = get("/api/products?size=100&q=" + enc(tag), "KG");
        assertThat(ids(page), containsInAnyOrder(kgProduct, allProduct));
        assertThat(markets(page), everyItem(org.hamcrest.Matchers.isIn(List.of("KG", "ALL"))));
        JsonNode all = byId(page, allProduct);
        assertThat(all.get("price").asText(), is("45000.00"));
        assertThat(all.get("currency").asText(), is("KGS"));
        assertThat(page.get("total").asLong(), is(2L));
    }

    @Test
    void usSeesUsAndAllWithUsdPrices() {
        JsonNode page = get("/api/products?size=100&q=" + enc(tag), "US");
        assertThat(ids(page), containsInAnyOrder(usProduct, allProduct));
        JsonNode all = byId(page, allProduct);
        assertThat(all.get("price").asText(), is("499.00"));
        assertThat(all.get("currency").asText(), is("USD"));
        assertThat(byId(page, usProduct).get("in_stock").asBoolean(), is(false));
    }

    @Test
    void noHeaderMeansTheDefaultMarket() {
        Api.Res res = new Api(client).get("/api/products?q=" + enc(tag), null);
        assertThat(res.header("X-Market"), is("KG"));
        assertThat(ids(res.expect(200)), containsInAnyOrder(kgProduct, allProduct));
    }

    @Test
    void anotherMarketsProductAnswersExactlyLikeAMissingOne() {
        Problem hidden = problem("/api/products/" + usProduct, "KG");
        Problem missing = problem("/api/products/" + Long.MAX_VALUE, "KG");
        assertThat(hidden.status, is(404));
        assertThat(hidden.body.get("detail"), is(missing.body.get("detail")));
        assertThat(hidden.body.get("title"), is(missing.body.get("title")));
        assertThat(hidden.contentType, startsWith("application/problem+json"));

        Problem hiddenInUs = problem("/api/products/" + kgProduct, "US");
        assertThat(hiddenInUs.status, is(404));
        assertThat(hiddenInUs.body.get("detail"), is(missing.body.get("detail")));
    }

    @Test
    void ownAndAllProductsAreFoundById() {
        assertThat(get("/api/products/" + kgProduct, "KG").get("market").asText(), is("KG"));
        assertThat(get("/api/products/" + usProduct, "US").get("market").asText(), is("US"));
        assertThat(get("/api/products/" + allProduct, "US").get("currency").asText(), is("USD"));
    }

    @Test
    void categoryFilterStaysInTheMarket() {
        JsonNode kg = get("/api/products?category_id=" + kgCategory, "KG");
        assertThat(ids(kg), containsInAnyOrder(kgProduct));
        JsonNode us = get("/api/products?category_id=" + kgCategory, "US");
        assertThat(us.get("items").size(), is(0));
        assertThat(us.get("total").asLong(), is(0L));
    }

    @Test
    void categoriesAndBannersAreFilteredByMarket() throws Exception {
        long usBanner = Fixtures.banner("US", tag + " us-banner");
        long kgBanner = Fixtures.banner("KG", tag + " kg-banner");
        assertThat(ids(get("/api/banners?size=100", "US")), hasItem(usBanner));
        assertThat(ids(get("/api/banners?size=100", "US")), not(hasItem(kgBanner)));
        assertThat(ids(get("/api/banners?size=100", "KG")), hasItem(kgBanner));
        assertThat(ids(get("/api/banners?size=100", "KG")), not(hasItem(usBanner)));
        assertThat(ids(get("/api/categories?size=100", "KG")), hasItem(kgCategory));
        assertThat(ids(get("/api/categories?size=100", "US")), not(hasItem(kgCategory)));
    }

    @Test
    void paginationShape() {
        JsonNode page = get("/api/products?size=1&page=2&q=" + enc(tag), "KG");
        assertThat(page.get("page").asInt(), is(2));
        assertThat(page.get("size").asInt(), is(1));
        assertThat(page.get("total").asLong(), is(2L));
        assertThat(page.get("items").size(), is(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"kg", "ALL", "XX", "KG,US", "us", "K G", "'; DROP TABLE products; --",
            "KG' OR '1'='1", "ＫＧ", "КG", ""})
    void badMarketHeaderIs400(String value) {
        Problem p = problem("/api/products", value);
        assertThat(p.status, is(400));
        assertThat(p.contentType, startsWith("application/problem+json"));
    }

    @Test
    void duplicateMarketHeaderIs400() {
        try (HttpClientResponse res = client.get("/api/products")
                .header(io.helidon.http.HeaderValues.create("X-Market", "KG", "US"))
                .request()) {
            String body = res.as(String.class);
            Contract.check(Api.exchange("GET", "/api/products", Map.of("X-Market", "KG"), null, res, body));
            assertThat(res.status().code(), is(400));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/products?page=0", "/api/products?size=1000", "/api/products?size=-1",
            "/api/products?page=abc", "/api/products?category_id=1%20OR%201=1", "/api/products?category_id=-5"})
    void badQueryIs400(String uri) {
        Problem p = problem(uri, "KG");
        assertThat(p.status, is(400));
    }

    @Test
    void injectionInSearchIsJustText() {
        JsonNode page = get("/api/products?q=" + enc("%' OR 1=1 --"), "KG");
        assertThat(page.get("total").asLong(), is(0L));
        JsonNode wildcard = get("/api/products?q=" + enc("%"), "KG");
        assertThat(wildcard.get("total").asLong(), is(0L));
    }

    @Test
    void marketsAreListed() {
        JsonNode page = get("/api/markets", "US");
        assertThat(markets(page, "code"), containsInAnyOrder("KG", "US"));
    }

    // ---------------------------------------------------------------- helpers

    record Problem(int status, String contentType, Map<String, Object> body) {
    }

    private JsonNode get(String uri, String market) {
        Api.Res res = call(uri, market);
        assertThat(res.header("X-Market"), is(market));
        return res.expect(200);
    }

    @SuppressWarnings("unchecked")
    private Problem problem(String uri, String market) {
        Api.Res res = call(uri, market);
        try {
            return new Problem(res.status(), res.header("Content-Type"), JsonCodec.MAPPER.readValue(res.body(), Map.class));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private Api.Res call(String uri, String market) {
        return new Api(client).call(io.helidon.http.Method.GET, uri, null, null, Map.of("X-Market", market));
    }

    private static List<Long> ids(JsonNode page) {
        return items(page).stream().map(n -> n.get("id").asLong()).toList();
    }

    private static List<String> markets(JsonNode page) {
        return markets(page, "market");
    }

    private static List<String> markets(JsonNode page, String field) {
        return items(page).stream().map(n -> n.get(field).asText()).toList();
    }

    private static JsonNode byId(JsonNode page, long id) {
        return items(page).stream().filter(n -> n.get("id").asLong() == id).findFirst()
                .orElseThrow(() -> new AssertionError("no item " + id + " in " + page));
    }

    private static List<JsonNode> items(JsonNode page) {
        List<JsonNode> out = new java.util.ArrayList<>();
        page.get("items").forEach(out::add);
        return out;
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }
}
