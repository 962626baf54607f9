package marketbackend.manager;

import java.util.List;
import java.util.Map;

import io.helidon.webclient.http1.Http1Client;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import marketbackend.support.Fixtures;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/** The market's customers, and notifications broadcast to all of them. */
class ManagerCustomersTest extends ManagerFixture {
    ManagerCustomersTest(Http1Client client) {
        super(client);
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void customersAreTheUsersOfTheMarket(String market) throws Exception {
        long own = Fixtures.user(market);
        long foreign = Fixtures.user(other(market));
        String ownPhone = ManagerApi.ownerStrings("SELECT phone FROM users WHERE id = ?", own).getFirst();
        String foreignPhone = ManagerApi.ownerStrings("SELECT phone FROM users WHERE id = ?", foreign).getFirst();
        String token = of(market).token();

        ManagerApi.Res found = api.get(token, null, "/api/manager/customers?q=" + enc(ownPhone));
        assertThat(found.toString(), found.ids(), contains(own));
        assertThat(found.items().getFirst().get("market").asText(), is(market));
        assertThat(found.items().getFirst().get("phone").asText(), is(ownPhone));
        assertThat(api.get(token, null, "/api/manager/customers?q=" + enc(foreignPhone)).body().get("total").asLong(), is(0L));

        ManagerApi.Res page = api.get(token, null, "/api/manager/customers?size=2&page=1");
        assertThat(page.items().size(), is(2));
        assertThat(page.body().get("total").asLong(),
                is(ManagerApi.ownerCount("SELECT count(*) FROM users WHERE market = ?", market)));
        assertThat(page.items().stream().map(n -> n.get("market").asText()).toList(), everyItem(is(market)));
        assertThat(api.get(token, null, "/api/manager/customers?size=100").ids(), not(hasItem(foreign)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void broadcastReachesEveryCustomerOfTheMarketOnly(String market) throws Exception {
        Fixtures.user(market);
        Fixtures.user(other(market));
        String title = Fixtures.unique("Sale in " + market);
        ManagerApi.Res res = api.post(of(market).token(), null, "/api/manager/notifications",
                Map.of("title", title, "body", "Everything -20%"));
        assertThat(res.toString(), res.status(), is(201));
        long users = ManagerApi.ownerCount("SELECT count(*) FROM users WHERE market = ?", market);
        assertThat(users, greaterThan(1L));
        assertThat(res.body().get("recipients").asLong(), is(users));
        assertThat(res.body().get("market").asText(), is(market));
        // one row per user of the market, none elsewhere, in the market's locale
        assertThat(ManagerApi.ownerCount("SELECT count(DISTINCT user_id) FROM notifications WHERE title = ?", title), is(users));
        assertThat(ManagerApi.ownerCount("SELECT count(*) FROM notifications WHERE title = ?", title), is(users));
        assertThat(ManagerApi.ownerStrings("SELECT DISTINCT n.market || ' ' || u.market || ' ' || n.locale"
                + " FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.title = ?", title),
                contains(market + " " + market + (market.equals("KG") ? " ru-KG" : " en-US")));
        assertThat(ManagerApi.ownerStrings("SELECT market || ' ' || (after->>'recipients') FROM audit_log"
                + " WHERE action = 'broadcast' AND after->>'title' = ?", title), contains(market + " " + users));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"title\":\"\",\"body\":\"b\"}", "{\"title\":\"t\"}", "{\"title\":\"t\",\"body\":\"b\",\"market\":\"US\"}",
            "{\"title\":\"t\",\"body\":\"b\",\"user_id\":1}", "[]", "{\"title\":1,\"body\":\"b\"}"})
    void badBroadcastsAre4xxAndSendNothing(String body) throws Exception {
        for (String market : List.of("KG", "US")) {
            ManagerApi.Res res = api.post(of(market).token(), null, "/api/manager/notifications", body);
            assertThat(body + " " + res, res.status() == 400 || res.status() == 422, is(true));
        }
        assertThat(ManagerApi.ownerCount("SELECT count(*) FROM notifications WHERE title = 't'"), is(0L));
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }
}
