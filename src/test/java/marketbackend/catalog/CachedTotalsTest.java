package marketbackend.catalog;

import java.time.Duration;
import java.util.Map;

import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import marketbackend.Server;
import marketbackend.support.Fixtures;
import marketbackend.support.TestApp;
import marketbackend.value.JsonCodec;
import marketbackend.db.TotalsCache;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

/**
 * The product list with its totals cached, as in production (the suite runs with
 * {@code LIST_TOTALS_TTL_MS=0}): a cached total answers exactly the filter it was counted for.
 */
@ServerTest
class CachedTotalsTest {
    private final Http1Client client;

    CachedTotalsTest(Http1Client client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder r) {
        // before the shipped routing, whose catch-all answers 404 for any other /api path
        r.register("/api/cached-products", new ProductService(TestApp.get().catalog(),
                new TotalsCache(Duration.ofMinutes(10))));
        Server.routing(r, TestApp.get());
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void searchingForTheWordNullIsNotSearchingForNothing(String market) throws Exception {
        String tag = Fixtures.unique("totals");
        Map<String, String> price = Map.of(market, "10.00");
        Fixtures.product(market, tag + " null one", null, 1, price);
        Fixtures.product(market, tag + " null two", null, 1, price);
        Fixtures.product(market, tag + " other", null, 1, price);

        // pages of one: a short first page would answer its own size without counting
        long everything = total("/api/cached-products", market, Map.of("size", "1"));
        long named = total("/api/cached-products", market, Map.of("size", "1", "q", "null"));

        assertThat(named, greaterThanOrEqualTo(2L));
        assertThat(everything, greaterThan(named));
        assertThat("the same as counted without the cache", named,
                is(total("/api/products", market, Map.of("size", "1", "q", "null"))));
    }

    /** Read without the contract check of {@code Api}: the cached list is this test's own path. */
    private long total(String path, String market, Map<String, String> query) throws Exception {
        var req = client.get(path).header(HeaderNames.create("X-Market"), market);
        query.forEach(req::queryParam);
        try (HttpClientResponse res = req.request()) {
            assertThat(path, res.status().code(), is(200));
            return JsonCodec.MAPPER.readTree(res.as(String.class)).get("total").asLong();
        }
    }
}
