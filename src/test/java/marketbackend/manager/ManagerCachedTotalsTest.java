package marketbackend.manager;

import java.time.Duration;
import java.util.Map;

import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;

import org.junit.jupiter.api.Test;

import marketbackend.Server;
import marketbackend.db.TotalsCache;
import marketbackend.support.Fixtures;
import marketbackend.support.TestApp;
import marketbackend.value.JsonCodec;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * A manager's product list with its totals cached, as in production (the suite runs with
 * {@code LIST_TOTALS_TTL_MS=0}): one market's cached total never answers the other's, and the
 * cache opens nothing the manager may not list.
 */
@ServerTest
class ManagerCachedTotalsTest {
    private static final String PATH = "/api/manager/cached-products";
    private final Http1Client client;

    ManagerCachedTotalsTest(Http1Client client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder r) {
        // before the shipped routing, whose catch-all answers 404 for any other /api path
        Server.App app = TestApp.get();
        r.register(PATH, new ManagerProductService(app.db(), app.markets(), new TotalsCache(Duration.ofMinutes(10))));
        Server.routing(r, app);
    }

    @Test
    void eachMarketCountsItsOwnProducts() throws Exception {
        String tag = Fixtures.unique("mgr-totals");
        for (int i = 0; i < 2; i++) {
            Fixtures.product("KG", tag + " kg " + i, null, 1, Map.of("KG", "10.00"));
        }
        for (int i = 0; i < 3; i++) {
            Fixtures.product("US", tag + " us " + i, null, 1, Map.of("US", "10.00"));
        }
        String admin = ManagerApi.token(Fixtures.manager("KG", "admin", "KG", "US"), "KG");
        // pages of one: a short first page would answer its own size without counting
        Map<String, String> query = Map.of("size", "1", "q", tag);

        assertThat(total(admin, "KG", query), is(2L));
        assertThat("US counted, not KG's cached total", total(admin, "US", query), is(3L));
        assertThat("KG's cached total", total(admin, "KG", query), is(2L));
        assertThat("the same as counted without the cache",
                total(admin, "US", PATH.replace("cached-", ""), query), is(3L));
    }

    @Test
    void aCachedTotalIsNoWayIntoAnotherMarket() throws Exception {
        String tag = Fixtures.unique("mgr-totals");
        for (String market : new String[] {"KG", "US"}) {
            Fixtures.product(market, tag + " a", null, 1, Map.of(market, "10.00"));
            Fixtures.product(market, tag + " b", null, 1, Map.of(market, "10.00"));
        }
        Map<String, String> query = Map.of("size", "1", "q", tag);
        for (String market : new String[] {"KG", "US"}) {
            String own = ManagerApi.token(Fixtures.manager(market, "manager", market), market);
            assertThat(total(own, market, query), is(2L));
            String other = market.equals("KG") ? "US" : "KG";
            assertThat("a manager of " + market + " only, asking " + other,
                    status(own, other, query), is(403));
        }
    }

    private long total(String token, String market, Map<String, String> query) throws Exception {
        return total(token, market, PATH, query);
    }

    /** Read without the contract check of {@code Api}: the cached list is this test's own path. */
    private long total(String token, String market, String path, Map<String, String> query) throws Exception {
        try (HttpClientResponse res = request(token, market, path, query)) {
            assertThat(path + " in " + market, res.status().code(), is(200));
            return JsonCodec.MAPPER.readTree(res.as(String.class)).get("total").asLong();
        }
    }

    private int status(String token, String market, Map<String, String> query) {
        try (HttpClientResponse res = request(token, market, PATH, query)) {
            return res.status().code();
        }
    }

    private HttpClientResponse request(String token, String market, String path, Map<String, String> query) {
        var req = client.get(path).header(HeaderNames.AUTHORIZATION, "Bearer " + token)
                .header(HeaderNames.create("X-Market"), market);
        query.forEach(req::queryParam);
        return req.request();
    }
}
